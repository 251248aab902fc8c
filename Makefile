# Vigil: build, test and install. `make install DESTDIR=/tmp/stage PREFIX=/usr`.
PREFIX ?= /usr/local
DESTDIR ?=
SYSCONFDIR ?= /etc
BINDIR = $(PREFIX)/bin
UNITDIR ?= $(PREFIX)/lib/systemd/system
SYSUSERSDIR ?= $(PREFIX)/lib/sysusers.d
TMPFILESDIR ?= $(PREFIX)/lib/tmpfiles.d
CATALOGDIR ?= $(PREFIX)/lib/systemd/catalog
DOCDIR ?= $(PREFIX)/share/doc/vigil
SWIFT ?= swift

.PHONY: all build test lint install uninstall

all: build

build:
	$(SWIFT) build -c release --product vigil
	$(SWIFT) build -c release --product vigild

test:
	$(SWIFT) test

lint:
	$(SWIFT) format lint --strict -r Sources Tests Package.swift

install: build
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(UNITDIR) $(DESTDIR)$(SYSUSERSDIR) $(DESTDIR)$(TMPFILESDIR) \
		$(DESTDIR)$(CATALOGDIR) $(DESTDIR)$(DOCDIR) $(DESTDIR)$(SYSCONFDIR)/vigil/rules.d $(DESTDIR)$(SYSCONFDIR)/vigil/tests $(DESTDIR)$(SYSCONFDIR)/vigil/records.d
	install -m 0755 "$$($(SWIFT) build -c release --show-bin-path)/vigil" $(DESTDIR)$(BINDIR)/vigil
	install -m 0755 "$$($(SWIFT) build -c release --show-bin-path)/vigild" $(DESTDIR)$(BINDIR)/vigild
	sed -e 's|/usr/bin/vigild|$(BINDIR)/vigild|' -e 's|/etc/vigil/|$(SYSCONFDIR)/vigil/|' systemd/vigild.service > $(DESTDIR)$(UNITDIR)/vigild.service
	chmod 0644 $(DESTDIR)$(UNITDIR)/vigild.service
	sed -e 's|/usr/bin/vigil |$(BINDIR)/vigil |' -e 's|/etc/vigil/|$(SYSCONFDIR)/vigil/|' systemd/vigil-digest.service > $(DESTDIR)$(UNITDIR)/vigil-digest.service
	install -m 0644 systemd/vigil-digest.timer $(DESTDIR)$(UNITDIR)/vigil-digest.timer
	install -m 0644 systemd/vigil.sysusers $(DESTDIR)$(SYSUSERSDIR)/vigil.conf
	install -m 0644 systemd/vigil.tmpfiles $(DESTDIR)$(TMPFILESDIR)/vigil.conf
	install -m 0644 systemd/vigil.catalog $(DESTDIR)$(CATALOGDIR)/vigil.catalog
	test -e $(DESTDIR)$(SYSCONFDIR)/vigil/vigil.yaml || install -m 0644 systemd/vigil.yaml $(DESTDIR)$(SYSCONFDIR)/vigil/vigil.yaml
	test -e $(DESTDIR)$(SYSCONFDIR)/vigil/catalogue.yaml || install -m 0644 config/catalogue.yaml $(DESTDIR)$(SYSCONFDIR)/vigil/catalogue.yaml
	for f in config/rules.d/*.yaml; do test -e $(DESTDIR)$(SYSCONFDIR)/vigil/rules.d/$$(basename $$f) || install -m 0644 $$f $(DESTDIR)$(SYSCONFDIR)/vigil/rules.d/; done
	for f in config/records.d/*.yaml; do test -e $(DESTDIR)$(SYSCONFDIR)/vigil/records.d/$$(basename $$f) || install -m 0644 $$f $(DESTDIR)$(SYSCONFDIR)/vigil/records.d/; done
	for f in config/tests/*.yaml; do install -m 0644 $$f $(DESTDIR)$(SYSCONFDIR)/vigil/tests/; done
	install -m 0644 README.md $(DESTDIR)$(DOCDIR)/README.md
	cp -r docs $(DESTDIR)$(DOCDIR)/

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/vigil $(DESTDIR)$(BINDIR)/vigild $(DESTDIR)$(UNITDIR)/vigild.service $(DESTDIR)$(UNITDIR)/vigil-digest.service $(DESTDIR)$(UNITDIR)/vigil-digest.timer \
		$(DESTDIR)$(SYSUSERSDIR)/vigil.conf $(DESTDIR)$(TMPFILESDIR)/vigil.conf $(DESTDIR)$(CATALOGDIR)/vigil.catalog
	rm -rf $(DESTDIR)$(DOCDIR)
