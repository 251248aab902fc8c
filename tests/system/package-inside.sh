#!/bin/bash
# Runs inside the booted container (tests/system/package-test) as a oneshot unit: installs the
# .deb as a council's IT would, then checks what the package promises. Findings go to /vigil-out.
set -u
. /vigil-test/checks.sh
finish() {
  echo "failures=$failures" >> "$out"
  [ "$failures" -eq 0 ] && echo "ALL PASSED" >> "$out"
  journalctl -b --no-pager -o short-monotonic > /vigil-out/journal.txt 2>&1
  systemctl exit $(( failures == 0 ? 0 : 1 ))
}

# 0. No Swift toolchain or runtime anywhere.
check "no swift command" sh -c '! command -v swift && ! command -v swiftc'
check "no Swift runtime library on the system" sh -c '! find / -xdev -name "libswiftCore.so*" -print -quit 2>/dev/null | grep -q .'

# 1. apt installs the package offline (its dependencies are already present). The container's
#    root is the build host's, which (like many CI images) forbids starting services in maintainer
#    scripts with a policy-rc.d; a council's server has none.
rm -f /usr/sbin/policy-rc.d
cp /vigil-test/vigil.deb /tmp/vigil.deb
if DEBIAN_FRONTEND=noninteractive apt-get install -y /tmp/vigil.deb > /vigil-out/apt-install.txt 2>&1; then
  pass "apt-get install ./vigil.deb"
else
  fail "apt-get install ./vigil.deb (see apt-install.txt)"; finish
fi
check "vigil --version runs without a toolchain" sh -c 'vigil --version | grep -Eq "^[0-9]+\.[0-9]+\.[0-9]+ \(commit [0-9a-f]{7,}\)$"'
check "vigild --version runs without a toolchain" vigild --version
check "binaries need no Swift runtime (ldd)" sh -c '! ldd /usr/bin/vigil /usr/bin/vigild | grep -qi swift'
check "conffiles are registered" sh -c 'dpkg-query -W -f="\${Conffiles}" vigil | grep -q /etc/vigil/vigil.yaml'

# 2. The maintainer scripts created users, groups and the tree, enabled and started the units.
check "service user exists" getent passwd vigil
check "readers group exists" getent group vigil-readers
check "state folder is 2710 vigil:vigil-readers" sh -c '[ "$(stat -c "%a %U %G" /var/lib/vigil/state)" = "2710 vigil vigil-readers" ]'
check "vigild is enabled" sh -c '[ "$(systemctl is-enabled vigild)" = enabled ]'
check "the digest timer is enabled" sh -c '[ "$(systemctl is-enabled vigil-digest.timer)" = enabled ]'
check "the digest timer is active" sh -c '[ "$(systemctl is-active vigil-digest.timer)" = active ]'
wait_for "vigild is active (READY received)" 30 sh -c '[ "$(systemctl is-active vigild)" = active ]'
wait_for "vigild reports its status" 10 sh -c 'systemctl show -P StatusText vigild | grep -q "watching 7 partner folders"'

# 3. A partner drops a file; receipt and journal alert follow.
useradd -M -N -g vigil-police -s /usr/sbin/nologin alice && pass "partner user created" || fail "useradd"
setpriv --reuid=alice --regid=vigil-police --init-groups sh -c 'umask 027; cp /vigil-test/missing-incidents.csv /var/lib/vigil/drop/police/.m.part && mv /var/lib/vigil/drop/police/.m.part /var/lib/vigil/drop/police/missing.csv'
wait_for "receipt readable by the partner" 30 setpriv --reuid=alice --regid=vigil-police --init-groups sh -c 'cat /var/lib/vigil/receipts/police/missing.csv.*.receipt.txt | grep -q "^ACCEPTED police/missing.csv"'
wait_for "journal alert entry" 20 sh -c 'journalctl -t vigild -o json MESSAGE_ID=e639e97e71b3413b8e252059f6088c49 | grep -q "\"VIGIL_PARTNER\":\"police\""'
check "catalog installed (journalctl -x explains the alert)" sh -c 'journalctl -x -t vigild MESSAGE_ID=e639e97e71b3413b8e252059f6088c49 | grep -q "What to do"'

# 3b. The scheduled digest, under the packaged unit's sandbox: written, recorded, and emailed (text,
#     HTML and PDF) over SMTP to the local mail server (here a sink on localhost:25).
python3 /vigil-test/smtp-sink 127.0.0.1 25 /vigil-out/mail > /vigil-out/sink.txt 2>&1 &
wait_for "an SMTP sink listens on localhost:25" 10 grep -q ready /vigil-out/sink.txt
cat >> /etc/vigil/vigil.yaml <<'YAML'
digest:
  from: vigil@council.example
  recipients:
    - {name: Whole board, to: [chair@council.example]}
YAML
systemctl start vigil-digest.service
check "the digest service succeeds under its sandbox" sh -c '[ "$(systemctl show -P Result vigil-digest.service)" = success ]'
check "the digest file is in /var/lib/vigil/digests" sh -c 'ls /var/lib/vigil/digests/digest-*.html'
useradd -M -N -g users -G vigil-chairs -s /bin/bash boardchair && pass "a chair created" || fail "useradd boardchair"
check "a vigil-chairs member can read it" setpriv --reuid=boardchair --regid=users --init-groups \
  sh -c 'grep -q "alert digest" /var/lib/vigil/digests/digest-*.html'
wait_for "the digest was delivered" 10 test -s /vigil-out/mail/1.eml
python3 /vigil-test/mime-summary /vigil-out/mail/1.eml > /vigil-out/mail-summary.json 2>&1
check "the email holds text, HTML and a PDF" grep -q '"parts": \[{"type": "text/plain", "filename": null}, {"type": "text/html", "filename": null}, {"type": "application/pdf", "filename": "digest.pdf"}\]' /vigil-out/mail-summary.json
check "the PDF is a PDF" grep -q '"pdf": true' /vigil-out/mail-summary.json
check "the email is titled with the board's name" grep -q '"subject": "Local Safeguarding Children Board: alert digest' /vigil-out/mail-summary.json
check "the digest's journal entry says where it is" sh -c 'journalctl -t vigil-digest MESSAGE_ID=c620487c837a4fd09851f101b450f03a | grep -q "Vigil digest written"'
check "the digest was recorded once sent (the next starts after it)" sh -c 'cd /tmp && vigil digest --format text --output - | grep -q "since the last digest"'

# 4. Manual pages and completions.
check "man vigil" sh -c 'MANWIDTH=80 man vigil | grep -q "vigil backup"'
check "man 8 vigild" sh -c 'MANWIDTH=80 man 8 vigild | grep -q "SIGHUP"'
check "man 5 vigil.yaml" sh -c 'MANWIDTH=80 man 5 vigil.yaml | grep -q "catalogue"'
check "bash completion installed" test -s /usr/share/bash-completion/completions/vigil

# 5. A reader (vigil-readers) reads alerts without runuser, with the installed configuration found
#    by itself; a user outside the group gets a clear refusal; neither can write.
useradd -M -N -g users -G vigil-readers -s /bin/bash chair && pass "reader created" || fail "useradd chair"
useradd -M -N -g users -s /bin/bash stranger || true
setpriv --reuid=chair --regid=users --init-groups sh -c 'cd /tmp && vigil alerts' > /vigil-out/reader-alerts.txt 2>&1
check "vigil alerts works for a vigil-readers member" grep -q "missing-incidents-up-on-last-year" /vigil-out/reader-alerts.txt
setpriv --reuid=stranger --regid=users --init-groups sh -c 'cd /tmp && vigil alerts' > /vigil-out/stranger.txt 2>&1
check "a non-member is told to ask for vigil-readers" grep -q "vigil-readers" /vigil-out/stranger.txt
alert=$(sed -n 's/^ *id \([0-9a-f]*\)$/\1/p' /vigil-out/reader-alerts.txt | head -1)
setpriv --reuid=chair --regid=users --init-groups sh -c "cd /tmp && vigil ack $alert --by chair --note seen" > /vigil-out/reader-ack.txt 2>&1
check "a reader cannot acknowledge (the store is read-only to it)" grep -qi "readonly\|read-only" /vigil-out/reader-ack.txt

# 6. Backup while running; restore refused while running.
check "vigil backup while vigild runs" vigil backup /tmp/backup.sqlite
check "vigil restore refused while vigild runs" sh -c 'vigil restore /tmp/backup.sqlite; [ $? -eq 75 ]'

# 7. remove keeps the data and configuration; purge deletes them and the users.
DEBIAN_FRONTEND=noninteractive apt-get remove -y vigil > /vigil-out/apt-remove.txt 2>&1 && pass "apt-get remove" || fail "apt-get remove"
check "vigild stopped on remove" sh -c '[ "$(systemctl is-active vigild)" != active ]'
check "remove keeps /var/lib/vigil with the store" test -s /var/lib/vigil/state/vigil.sqlite
check "remove keeps /etc/vigil" test -f /etc/vigil/vigil.yaml
check "remove says where the data stays" grep -q "the board's data stays in /var/lib/vigil" /vigil-out/apt-remove.txt
# A partner writing into its drop folder throughout the purge (it once made rm -rf fail and the
# purge stop before the users and groups were removed).
setpriv --reuid=alice --regid=vigil-police --init-groups sh -c \
  'i=0; while [ $i -lt 4000 ]; do : > /var/lib/vigil/drop/police/f$i 2>/dev/null || exit 0; i=$((i+1)); done' &
writer=$!
sleep 0.2
DEBIAN_FRONTEND=noninteractive apt-get purge -y vigil > /vigil-out/apt-purge.txt 2>&1 && pass "apt-get purge" || fail "apt-get purge"
wait $writer
check "purge says what it deletes" grep -q "vigil: purge: deleting /var/lib/vigil" /vigil-out/apt-purge.txt
check "purge removes /var/lib/vigil" test ! -e /var/lib/vigil
check "purge removes /etc/vigil" test ! -e /etc/vigil
check "purge removes the service user" sh -c '! getent passwd vigil'
check "purge removes the groups no account still uses" sh -c '! getent group vigil-health && ! getent group vigil-readers'
check "purge keeps a group that is still a user's primary group" getent group vigil-police
finish
