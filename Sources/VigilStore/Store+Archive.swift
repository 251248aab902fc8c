import GRDB
import VigilCore

/// The archive of alert records (`AlertArchive`): records beyond each rule and series' window
/// stay in the store, marked `archived`, out of the working set that vigild holds in memory and
/// a file's evaluation reads; an episode reported again reads its record back by key.
extension Store {
    /// Archives the records beyond each touched rule and series' window (`AlertArchive`) and
    /// releases them, and the records recalled from the archive that stayed as they were: the
    /// working set, in memory or read by a file's evaluation, stays bounded by the window.
    func archive(_ db: Database, _ machine: inout AlertStateMachine) throws {
        var touched: [SeriesKey: Set<String>] = [:]
        for key in machine.touched { touched[key.series, default: []].insert(key.rule) }
        var held: [(key: AlertKey, state: AlertRecord.State)] = []
        for (key, record) in machine.records where touched[key.series]?.contains(key.rule) == true {
            held.append((key, record.state))
        }
        let archived = AlertArchive.beyondWindow(held)
        try Store.markArchived(db, archived)
        machine.release(archived)
        machine.release(machine.recalled.subtracting(machine.touched))
    }

    /// Marks every record beyond its rule and series' window (the migration that made the
    /// archive, on a store whose records all counted).
    static func archiveBeyondWindows(_ db: Database) throws {
        let rows = try Row.fetchCursor(
            db,
            sql: """
                SELECT rule, json_extract(record, '$.indicator'), json_extract(record, '$.breakdown'),
                json_extract(record, '$.start'), state FROM alert_records WHERE state != ?
                """, arguments: [AlertRecord.State.retracted.rawValue])
        var held: [(key: AlertKey, state: AlertRecord.State)] = []
        while let row = try rows.next() {
            guard let start = Period(parsing: row[3] as String), let state = AlertRecord.State(rawValue: row[4]) else { continue }
            let series = SeriesKey(indicator: row[1], breakdown: Breakdown(key: row[2] as String))
            held.append((AlertKey(rule: row[0], series: series, start: start), state))
        }
        try markArchived(db, AlertArchive.beyondWindow(held))
    }

    /// Marks these records archived.
    private static func markArchived(_ db: Database, _ keys: some Sequence<AlertKey>) throws {
        let mark = try db.cachedStatement(sql: "UPDATE alert_records SET archived = 1 WHERE key = ?")
        for key in keys { try mark.execute(arguments: [key.description]) }
    }
}
