/// How often an indicator is measured, and so which period texts it accepts.
public enum Periodicity: String, Hashable, Sendable, CaseIterable, CustomStringConvertible {
    /// A calendar month: `2013-03`.
    case month
    /// A calendar quarter: `2013-Q1` (January–March).
    case quarter
    /// An English financial year, April–March: `2012/13`.
    case financialYear = "financial_year"
    /// Half of a financial year: `2012/13-H1` (April–September) or `2012/13-H2` (October–March).
    case financialHalfYear = "financial_half_year"
    /// A count at a date: `2013-03-31`.
    case snapshot

    /// The configuration spelling.
    public var description: String { rawValue }

    /// An example of the period text, used in error messages.
    public var example: String {
        switch self {
        case .month: return "2013-03"
        case .quarter: return "2013-Q1"
        case .financialYear: return "2012/13"
        case .financialHalfYear: return "2012/13-H1"
        case .snapshot: return "2013-03-31"
        }
    }

    /// A phrase for messages, e.g. "by month".
    public var phrase: String {
        switch self {
        case .month: return "monthly"
        case .quarter: return "by calendar quarter"
        case .financialYear: return "by financial year"
        case .financialHalfYear: return "by financial half-year"
        case .snapshot: return "as a snapshot date"
        }
    }

    /// How many of these periods make a year, or nil for snapshots (irregular).
    public var periodsPerYear: Int? {
        switch self {
        case .month: return 12
        case .quarter: return 4
        case .financialYear: return 1
        case .financialHalfYear: return 2
        case .snapshot: return nil
        }
    }
}
