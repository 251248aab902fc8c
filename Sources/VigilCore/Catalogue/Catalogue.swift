/// A board priority, e.g. "2. Children at risk of significant harm are identified and protected".
public struct Priority: Hashable, Sendable, Identifiable {
    /// Number 1–7 (or however many the board has).
    public var id: Int
    /// The priority's wording.
    public var title: String
    /// Creates a priority.
    public init(id: Int, title: String) {
        self.id = id
        self.title = title
    }
}

/// An organisation that supplies data.
public struct Partner: Hashable, Sendable, Identifiable {
    /// Folder-safe id, e.g. `childrens-services`.
    public var id: String
    /// Name for people.
    public var name: String
    /// The return schedule: for each periodicity it sends, the days after a period ends by which
    /// its figures are due.
    public var returns: [Periodicity: Int] = [:]
    /// Creates a partner.
    public init(id: String, name: String, returns: [Periodicity: Int] = [:]) {
        self.id = id
        self.name = name
        self.returns = returns
    }
}

/// A breakdown dimension such as `age_band`, with the closed list of values a partner may send.
public struct Dimension: Hashable, Sendable, Identifiable {
    /// Column name in feeds, e.g. `category`.
    public var id: String
    /// Title for people.
    public var title: String
    /// Allowed values. Never free text: a feed's value for a dimension with none is an error, and
    /// the catalogue loader refuses a dimension without them.
    public var values: [String]
    /// When each of this dimension's values (some of them) is a subtotal of values of another
    /// dimension the same indicators have: `ethnic_group`'s `white` is `ethnicity`'s
    /// `white_british`, `white_irish` and `white_other`. Disclosure control reads it as a reader
    /// of both tables would.
    public var subtotals: Subtotals?

    /// Values of a dimension that add up values of another.
    public struct Subtotals: Hashable, Sendable {
        /// The dimension whose values are added up.
        public var of: String
        /// For each subtotal value, the values of `of` it adds up (each in at most one).
        public var groups: [String: [String]]
        /// Creates subtotals.
        public init(of: String, groups: [String: [String]]) {
            self.of = of
            self.groups = groups
        }
    }

    /// Creates a dimension.
    public init(id: String, title: String, values: [String] = [], subtotals: Subtotals? = nil) {
        self.id = id
        self.title = title
        self.values = values
        self.subtotals = subtotals
    }
}

/// The validated catalogue: priorities, partners, dimensions and indicators.
public struct Catalogue: Sendable {
    /// Board priorities in order.
    public var priorities: [Priority]
    /// Partners in order.
    public var partners: [Partner]
    /// Dimensions by id.
    public var dimensions: [String: Dimension]
    /// Indicators in catalogue order.
    public var indicators: [Indicator]
    private var index: [String: Int]

    /// Creates a catalogue (already validated).
    public init(priorities: [Priority], partners: [Partner], dimensions: [Dimension], indicators: [Indicator]) {
        self.priorities = priorities
        self.partners = partners
        self.dimensions = Dictionary(dimensions.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        self.indicators = indicators
        self.index = Dictionary(indicators.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })
    }

    /// The indicator with this id.
    public func indicator(_ id: String) -> Indicator? { index[id].map { indicators[$0] } }

    /// The priority with this number.
    public func priority(_ id: Int) -> Priority? { priorities.first { $0.id == id } }

    /// The partner with this id.
    public func partner(_ id: String) -> Partner? { partners.first { $0.id == id } }

    /// The indicators `supplied` and every indicator derived from them, directly or through
    /// other derived indicators: what a file of those indicators can change, and so the alerts
    /// its partner may be told about.
    public func affected(by supplied: some Sequence<String>) -> Set<String> {
        var affected = Set(supplied)
        for indicator in derivedInDependencyOrder where !affected.contains(indicator.id) {
            if indicator.derivation!.inputs.contains(where: affected.contains) { affected.insert(indicator.id) }
        }
        return affected
    }

    /// Derived indicators in an order where every input comes before what it feeds.
    public var derivedInDependencyOrder: [Indicator] {
        var done = Set<String>()
        var order: [Indicator] = []
        func visit(_ indicator: Indicator, depth: Int) {
            guard depth < 64, !done.contains(indicator.id), let derivation = indicator.derivation else { return }
            for input in derivation.inputs {
                if let inputIndicator = self.indicator(input) { visit(inputIndicator, depth: depth + 1) }
            }
            done.insert(indicator.id)
            order.append(indicator)
        }
        for indicator in indicators { visit(indicator, depth: 0) }
        return order
    }
}
