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
