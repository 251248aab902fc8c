/// The ids of the alert-file lines appended most recently, as many as a crash or a failed mark
/// could make the runner try to append again (one batch is 500), oldest forgotten first: the
/// log's lines are never written twice, and the memory kept does not grow with the log.
public struct RecentIds: Sendable {
    /// How many ids are kept.
    public let capacity: Int
    private var members: Set<String> = []
    private var order: [String] = []
    private var oldest = 0

    /// An empty set keeping up to `capacity` ids.
    public init(capacity: Int = 10_000) { self.capacity = max(1, capacity) }

    /// Whether `id` is among the ids kept.
    public func contains(_ id: String) -> Bool { members.contains(id) }

    /// Keeps `id`, forgetting the oldest when full; an id already kept is left where it is.
    public mutating func insert(_ id: String) {
        guard !members.contains(id) else { return }
        if order.count < capacity {
            order.append(id)
        } else {
            members.remove(order[oldest])
            order[oldest] = id
            oldest = (oldest + 1) % capacity
        }
        members.insert(id)
    }
}
