#!/bin/bash
# Runs inside the booted container as a oneshot unit; writes its findings to /vigil-out.
set -u
. /vigil-test/checks.sh
prop() { systemctl show -P "$2" "$1"; }

# 1. sysusers and tmpfiles created the users, groups and drop tree.
check "service user exists" getent passwd vigil
check "partner group exists" getent group vigil-police
check "vigil is a member of the partner group" sh -c 'id -nG vigil | grep -qw vigil-police'
check "police drop folder is 3730 vigil:vigil-police" sh -c '[ "$(stat -c "%a %U %G" /var/lib/vigil/drop/police)" = "3730 vigil vigil-police" ]'
check "police receipts folder is 2750 vigil:vigil-police" sh -c '[ "$(stat -c "%a %U %G" /var/lib/vigil/receipts/police)" = "2750 vigil vigil-police" ]'

# 2. The unit starts, reports READY and a STATUS line.
wait_for "vigild is active" 30 sh -c '[ "$(systemctl is-active vigild)" = active ]'
wait_for "STATUS= line is live" 10 sh -c 'systemctl show -P StatusText vigild | grep -q "watching 7 partner folders"'

# 3. A partner's user drops a file the documented way; journal alert, alert line and receipt follow.
timeout 20 useradd -M -N -g vigil-police -s /usr/sbin/nologin alice && pass "partner user created" || fail "useradd (exit $?)"
timeout 20 setpriv --reuid=alice --regid=vigil-police --init-groups sh -c 'umask 027; cp /vigil-test/missing-incidents.csv /var/lib/vigil/drop/police/.missing.csv.part && mv /var/lib/vigil/drop/police/.missing.csv.part /var/lib/vigil/drop/police/missing.csv'
wait_for "receipt written, readable by the partner" 20 setpriv --reuid=alice --regid=vigil-police --init-groups sh -c 'cat /var/lib/vigil/receipts/police/missing.csv.*.receipt.txt | grep -q "^ACCEPTED police/missing.csv"'
check "partner cannot list the drop folder" sh -c '! setpriv --reuid=alice --regid=vigil-police --init-groups ls /var/lib/vigil/drop/police'
wait_for "alert line in alerts.jsonl" 10 grep -q '"rule":"missing-incidents-spike"' /var/lib/vigil/alerts/alerts.jsonl
wait_for "journal alert entry with its fields" 10 sh -c 'journalctl -t vigild -o json VIGIL_RULE=missing-incidents-spike VIGIL_PERIOD=2012-03 | grep -q "\"VIGIL_PARTNER\":\"police\""'
check "journal entry has the firing MESSAGE_ID" sh -c 'journalctl -t vigild -o json MESSAGE_ID=e639e97e71b3413b8e252059f6088c49 | grep -q VIGIL_ALERT_ID'
check "journal file-accepted entry" sh -c 'journalctl -t vigild -o json MESSAGE_ID=9fb4dda767c043b18bca1d85148f2eea | grep -q "\"VIGIL_FILE\":\"missing.csv\""'
# The host's /usr is read-only here: build the catalog database in a scratch root and install it.
mkdir -p /tmp/catroot/usr/lib/systemd/catalog /var/lib/systemd/catalog
cp /etc/systemd/catalog/vigil.catalog /tmp/catroot/usr/lib/systemd/catalog/
journalctl --root=/tmp/catroot --update-catalog >> /vigil-out/catalog.txt 2>&1
cp /tmp/catroot/var/lib/systemd/catalog/database /var/lib/systemd/catalog/database
journalctl -x -t vigild MESSAGE_ID=e639e97e71b3413b8e252059f6088c49 >> /vigil-out/catalog.txt 2>&1
check "catalog explains the entry (journalctl -x)" grep -q "What to do" /vigil-out/catalog.txt

# 3b. A hostile partner, as its own non-root user (docs/security.md): what it drops cannot stop the
# service, reach state/ or be answered more than once, and another partner cannot read its receipts.
as_alice() { timeout 20 setpriv --reuid=alice --regid=vigil-police --init-groups "$@"; }
drop=/var/lib/vigil/drop/police
# Counted by the reason: the journal names a file only when its name is the catalogue's vocabulary.
refused() { journalctl -t vigild -o cat MESSAGE_ID=2eadc4e582dd4ac5b51c6ccd30c1c2b8 | grep -c "$1"; }
# A folder the service may not write into (mode 0500, the partner's own): refused where it is.
as_alice sh -c "mkdir $drop/locked.csv && echo 'E9,CHILD-FOLDER-991,2012-04-01T10:00:00,,Y,14,F,North,police' > $drop/locked.csv/inner.csv && chmod 0500 $drop/locked.csv"
as_alice mkfifo "$drop/pipe.csv"
as_alice sh -c "printf 'indicator,period,value\n' > \"$drop/\$(printf 'x\nWATCHDOG=trigger\ny.csv')\""
wait_for "a 0500 folder gets one receipt saying it is left in place" 20 as_alice sh -c "grep -q 'it is a directory, not a regular file; it was not read; it is left in the folder and not reported again: remove it' /var/lib/vigil/receipts/police/locked.csv.unread.rejected.receipt.txt"
wait_for "a FIFO gets a receipt" 20 as_alice sh -c "grep -q 'it is a FIFO, not a regular file' /var/lib/vigil/receipts/police/pipe.csv.unread.rejected.receipt.txt"
# A headerless extract with a child reference that must never leave the store, and a name that is
# not UTF-8 (both go through the intake's own paths).
as_alice sh -c "printf 'E1,CHILD-SYS-778,2012-04-01T10:00:00,,Y,14,F,North,police\nE2,CHILD-SYS-778,2012-04-02T10:00:00,,N,14,F,North,police\n' > $drop/.hl.part && mv $drop/.hl.part $drop/headerless.csv"
as_alice sh -c "printf 'x' > \"$drop/\$(printf 'ext\377.csv')\""
wait_for "a headerless extract is answered" 20 as_alice sh -c 'ls /var/lib/vigil/receipts/police/headerless.csv.*.receipt.txt'
wait_for "a name that is not UTF-8 gets a receipt that shows its byte escaped" 20 as_alice sh -c "grep -qF 'REJECTED police/ext\\xff.csv: its name is not valid UTF-8' /var/lib/vigil/receipts/police/ext*.receipt.txt"
wait_for "a name with newlines is escaped in its receipt's name" 20 as_alice sh -c 'ls /var/lib/vigil/receipts/police | grep -qF "x\\x0aWATCHDOG=trigger\\x0ay.csv."'
# A file the partner keeps writing never settles; it must not hold up the partner's next file.
as_alice sh -c "exec 3>>$drop/growing.csv; while :; do echo 'x' >&3; sleep 0.2; done" &
writer=$!
as_alice sh -c "umask 027; cp /vigil-test/missing-incidents.csv $drop/.again.part && mv $drop/.again.part $drop/again.csv"
wait_for "a file dropped while another is written forever is answered" 20 as_alice sh -c 'ls /var/lib/vigil/receipts/police/again.csv.*.duplicate.receipt.txt'
sleep 7  # more than three scans (--scan-interval 2)
check "the folder was answered once over several scans" test "$(refused 'it is a directory, not a regular file')" = 1
check "the FIFO was answered once" test "$(refused 'it is a FIFO, not a regular file')" = 1
check "a partner's file name outside the catalogue's words is in no journal entry" sh -c '! journalctl -o export | grep -q -e headerless.csv -e locked.csv'
check "the folder and its content are still the partner's, where it left them" sh -c "[ -d $drop/locked.csv ] && [ \"\$(stat -c %U $drop/locked.csv)\" = alice ] && grep -q CHILD-FOLDER-991 $drop/locked.csv/inner.csv"
check "nothing of the folder entered the service's state" sh -c '! grep -rqs CHILD-FOLDER-991 /var/lib/vigil/state /var/lib/vigil/alerts && ! find /var/lib/vigil/state -name inner.csv | grep -q .'
check "the folder's child reference is in no journal entry" sh -c '! journalctl -o export | grep -q CHILD-FOLDER-991'
check "the extract's child reference is in no journal entry, receipt or alert file" sh -c '! journalctl -o export | grep -q CHILD-SYS-778 && ! grep -rqs CHILD-SYS-778 /var/lib/vigil/receipts /var/lib/vigil/alerts'
kill "$writer" 2>/dev/null; wait "$writer" 2>/dev/null
timeout 20 useradd -M -N -g vigil-health -s /usr/sbin/nologin bob && pass "second partner user created" || fail "useradd bob (exit $?)"
check "another partner cannot read police's receipts" sh -c '! timeout 20 setpriv --reuid=bob --regid=vigil-health --init-groups cat /var/lib/vigil/receipts/police/locked.csv.unread.rejected.receipt.txt'
check "another partner cannot drop into police's folder" sh -c '! timeout 20 setpriv --reuid=bob --regid=vigil-health --init-groups sh -c "echo x > /var/lib/vigil/drop/police/from-bob.csv"'
check "the hostile drops neither stopped nor restarted the service" sh -c '[ "$(systemctl is-active vigild)" = active ] && [ "$(systemctl show -P NRestarts vigild)" = 0 ]'

# 4. No restarts past WatchdogSec (the drop-in sets 3 s).
sleep 8
check "no restarts past WatchdogSec" sh -c '[ "$(systemctl show -P NRestarts vigild)" = 0 ] && [ "$(systemctl is-active vigild)" = active ]'

# 5. systemctl reload applies a changed rule; a broken one is refused and the old one kept.
cat > /etc/vigil/rules.d/zz-extra.yaml <<'YAML'
rules:
  - {id: missing-high, kind: threshold, indicator: missing.incidents, priority: 7, params: {above: {warning: 40}}}
YAML
systemctl reload vigild
wait_for "reload applied the new rule" 20 grep -q '"rule":"missing-high"' /var/lib/vigil/alerts/alerts.jsonl
echo 'rules: [{id: broken, kind: nonsense, indicator: missing.incidents}]' > /etc/vigil/rules.d/zz-extra.yaml
systemctl reload vigild
wait_for "broken config refused in the journal" 20 sh -c 'journalctl -t vigild MESSAGE_ID=4c90b7451bb04aec8b3a1c3c40829df7 | grep -q "previous configuration stays in force"'
check "still active after the refused reload" sh -c '[ "$(systemctl is-active vigild)" = active ] && [ "$(systemctl show -P NRestarts vigild)" = 0 ]'
rm -f /etc/vigil/rules.d/zz-extra.yaml
systemctl reload vigild

# 6. systemctl stop ends with Result=success.
systemctl stop vigild
check "stop ends with Result=success" sh -c '[ "$(systemctl show -P Result vigild)" = success ]'

# 7. A deliberately stalled loop is killed by the watchdog.
mkdir -p /run/systemd/system/vigild.service.d
printf '[Service]\nEnvironment=VIGILD_TEST_STALL_AFTER=2\nRestart=no\n' > /run/systemd/system/vigild.service.d/stall.conf
systemctl daemon-reload
systemctl start vigild
wait_for "stalled loop killed by the watchdog" 30 sh -c '[ "$(systemctl show -P Result vigild)" = watchdog ]'

echo "failures=$failures" >> "$out"
journalctl -t vigild --no-pager > /vigil-out/journal.txt 2>&1
systemctl exit $(( failures == 0 ? 0 : 1 ))
