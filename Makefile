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
MANDIR ?= $(PREFIX)/share/man
SHAREDIR ?= $(PREFIX)/share
SWIFT ?= swift
VERSION := $(shell sed -n 's/.*string = "\(.*\)"/\1/p' Sources/VigilCore/Version.swift)
COMMIT := $(shell git rev-parse --short=12 HEAD 2>/dev/null || echo unknown)
# Release binaries carry the Swift standard library (no toolchain needed where they run) and
# the commit they were built from (`--version`); every symbol is bound at start (`-z now`, full
# RELRO) and no RUNPATH is left on them (review helper-33, lintian --pedantic).
RELEASE = -c release --static-swift-stdlib --disable-local-rpath -Xlinker -z -Xlinker now -Xcc -DVIGIL_COMMIT='"$(COMMIT)"'
BIN ?= $$($(SWIFT) build $(RELEASE) --show-bin-path)

.PHONY: all build test lint install install-files uninstall deb

all: build

build:
	$(SWIFT) build $(RELEASE) --product vigil
	$(SWIFT) build $(RELEASE) --product vigild

# The Debian package (packaging/build-deb): vigil_VERSION_ARCH.deb in the current folder.
deb: build
	packaging/build-deb "$(BIN)" "$(VERSION)"

test:
	$(SWIFT) test

lint:
	$(SWIFT) format lint --strict -r Sources Tests Package.swift

install: build install-files

# The files of an installation, from binaries already built (BIN=folder to override).
install-files:
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(UNITDIR) $(DESTDIR)$(SYSUSERSDIR) $(DESTDIR)$(TMPFILESDIR) \
		$(DESTDIR)$(CATALOGDIR) $(DESTDIR)$(DOCDIR) $(DESTDIR)$(SYSCONFDIR)/vigil/rules.d $(DESTDIR)$(SYSCONFDIR)/vigil/tests $(DESTDIR)$(SYSCONFDIR)/vigil/records.d
	install -m 0755 "$(BIN)/vigil" $(DESTDIR)$(BINDIR)/vigil
	install -m 0755 "$(BIN)/vigild" $(DESTDIR)$(BINDIR)/vigild
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
	install -d $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man5 $(DESTDIR)$(MANDIR)/man8
	packaging/make-man "$(BIN)" "$(DESTDIR)$(MANDIR)" "$(VERSION)"
	mv $(DESTDIR)$(MANDIR)/vigil.1 $(DESTDIR)$(MANDIR)/man1/ && mv $(DESTDIR)$(MANDIR)/vigild.8 $(DESTDIR)$(MANDIR)/man8/ \
		&& mv $(DESTDIR)$(MANDIR)/vigil.yaml.5 $(DESTDIR)$(MANDIR)/man5/
	install -d $(DESTDIR)$(SHAREDIR)/bash-completion/completions $(DESTDIR)$(SHAREDIR)/zsh/vendor-completions \
		$(DESTDIR)$(SHAREDIR)/fish/vendor_completions.d
	"$(BIN)/vigil" --generate-completion-script bash > $(DESTDIR)$(SHAREDIR)/bash-completion/completions/vigil
	"$(BIN)/vigil" --generate-completion-script zsh > $(DESTDIR)$(SHAREDIR)/zsh/vendor-completions/_vigil
	"$(BIN)/vigil" --generate-completion-script fish > $(DESTDIR)$(SHAREDIR)/fish/vendor_completions.d/vigil.fish

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/vigil $(DESTDIR)$(BINDIR)/vigild $(DESTDIR)$(UNITDIR)/vigild.service $(DESTDIR)$(UNITDIR)/vigil-digest.service $(DESTDIR)$(UNITDIR)/vigil-digest.timer \
		$(DESTDIR)$(SYSUSERSDIR)/vigil.conf $(DESTDIR)$(TMPFILESDIR)/vigil.conf $(DESTDIR)$(CATALOGDIR)/vigil.catalog
	rm -rf $(DESTDIR)$(DOCDIR)
	rm -f $(DESTDIR)$(MANDIR)/man1/vigil.1 $(DESTDIR)$(MANDIR)/man8/vigild.8 $(DESTDIR)$(MANDIR)/man5/vigil.yaml.5 \
		$(DESTDIR)$(SHAREDIR)/bash-completion/completions/vigil $(DESTDIR)$(SHAREDIR)/zsh/vendor-completions/_vigil \
		$(DESTDIR)$(SHAREDIR)/fish/vendor_completions.d/vigil.fish
