import VigilCore

/// A small catalogue for unit tests, independent of the shipped one.
enum Fixtures {
    static let catalogueYAML = """
        priorities:
          - {id: 1, title: Early help}
          - {id: 2, title: Protection}
        partners:
          - {id: police, name: Police}
          - {id: council, name: Council}
        dimensions:
          category: {title: Category, values: [neglect, physical, sexual]}
          gender: {title: Gender, values: [female, male]}
        indicators:
          - {id: t.count, title: Test count, unit: count, periodicity: month, polarity: higher_is_worse, partners: [police], priorities: [1], dimensions: [category, gender]}
          - {id: t.snap, title: Snapshot count, unit: count, periodicity: snapshot, polarity: neutral, partners: [council], priorities: [2], dimensions: [category]}
          - {id: t.rate, title: Rate, unit: rate_per_10k, periodicity: snapshot, polarity: higher_is_worse, partners: [council], priorities: [2], targets: {"2012/13": 74.0}, statistical_neighbours: {"2011/12": 53.4}, england: {"2012/13": 60.0}}
          - {id: t.pct, title: Stability, unit: percent, periodicity: month, polarity: lower_is_worse, partners: [council], priorities: [2]}
          - {id: t.num, title: Numerator, unit: count, periodicity: financial_year, partners: [council], priorities: [2], dimensions: [category]}
          - {id: t.den, title: Denominator, unit: count, periodicity: financial_year, partners: [council], priorities: [2], dimensions: [category]}
          - {id: t.share, title: Share, unit: percent, periodicity: financial_year, priorities: [2], derived: {kind: percent, numerator: t.num, denominator: t.den}}
          - {id: t.pop, title: Population, unit: count, periodicity: snapshot, partners: [council], priorities: [2]}
          - {id: t.snaprate, title: Snapshot rate, unit: rate_per_10k, periodicity: snapshot, priorities: [2], derived: {kind: rate_per_10k, numerator: t.snap, population: t.pop}}
          - {id: t.fy, title: Yearly count, unit: count, periodicity: financial_year, priorities: [1], derived: {kind: period_sum, input: t.count}}
          - {id: t.roll, title: Rolling count, unit: count, periodicity: month, priorities: [1], derived: {kind: rolling_sum, input: t.count, periods: 3}}
          - {id: t.half, title: Half-yearly, unit: count, periodicity: financial_half_year, partners: [council], priorities: [2]}
          - {id: t.seasonal, title: Seasonal, unit: count, periodicity: month, partners: [council], priorities: [1], seasonality: {expected_low_months: [4, 8], reason: school holidays}}
        """

    static let catalogue: Catalogue = try! Catalogue.parse(yaml: catalogueYAML, file: "catalogue.yaml")

    /// Monthly points from "YYYY-MM": value pairs (nil = censored 'c').
    static func points(_ values: [(String, Double?)]) -> [SeriesPoint] {
        Dataset(values.map { observation("t.count", $0.0, $0.1) }).points(SeriesKey(indicator: "t.count"))
    }

    static func observation(_ indicator: String, _ period: String, _ value: Double?, _ breakdown: [String: String] = [:])
        -> Observation
    {
        Observation(
            series: SeriesKey(indicator: indicator, breakdown: Breakdown(breakdown)), period: Period(parsing: period)!,
            value: value.map { .number($0) } ?? .marker("c"), sources: ["sha-\(indicator)-\(period)"])
    }

    /// Parses one rule (id r1) from YAML flow-style params.
    static func rule(
        _ kind: String, _ indicator: String = "t.count", params: String, breakdown: String? = nil, forPeriods: Int = 1
    ) throws -> Rule {
        var yaml = "rules:\n  - id: r1\n    kind: \(kind)\n    indicator: \(indicator)\n    priority: 1\n    for: \(forPeriods)\n"
        if let breakdown { yaml += "    breakdown: \(breakdown)\n" }
        yaml += "    params: \(params)\n"
        return try RuleSet.parse(files: [("rules.yaml", yaml)], catalogue: catalogue)[0]
    }

    /// Findings of a rule over a dataset's series.
    static func findings(_ rule: Rule, _ observations: [Observation], series: SeriesKey? = nil, at date: String = "2030-01-01")
        -> [Finding]
    {
        let engine = Engine(catalogue: catalogue, rules: [rule])
        let evaluation = engine.evaluate(Dataset(observations), at: Period(parsing: date)!.start)
        let key = series ?? SeriesKey(indicator: rule.indicator)
        return evaluation.findings[rule.id]?[key] ?? []
    }

    /// Monthly observations of t.count starting at a month.
    static func monthly(_ start: String, _ values: [Double?], indicator: String = "t.count") -> [Observation] {
        var period = Period(parsing: start)!
        var out: [Observation] = []
        for value in values {
            out.append(observation(indicator, "\(period)", value))
            period = period.next!
        }
        return out
    }

    /// Statuses as a compact string: B(reach), C(lear), H(old).
    static func statuses(_ findings: [Finding]) -> String {
        String(findings.map { $0.status == .breach ? "B" : $0.status == .clear ? "C" : "H" })
    }
}
