import ArgumentParser

/// Options naming who supplies the files and, optionally, which record-level extract they are.
struct FeedOptions: ParsableArguments {
    @Option(help: "The supplying partner for every file (default: each file's folder name, when it is a partner).")
    var partner: String?

    @Option(help: "Name a record-level extract definition (default: recognised by the header).")
    var feed: String?

    @Flag(
        help:
            "Quote cell text in errors about files with no partner (IT at its own terminal); a partner's file is never quoted.")
    var showCells = false
}
