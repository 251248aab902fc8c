import CVigilKernels

/// A set of 64-bit identifier hashes with open addressing and linear probing: the distinct-id
/// sets of record-level aggregation, with a count per id for distributions.
///
/// The keys are already well-mixed hashes (`RecordBytes.hash`), so their low bits index the table
/// directly; 0 marks an empty slot and a hash of 0 is stored as 1 (a collision of one in 2⁶⁴ that
/// cannot change a count in practice). When `counting`, each key's count sits in the word after
/// it, so an insert touches one cache line: the sets are larger than the caches and every probe
/// is a likely miss.
struct IdSet {
    private var words: [UInt64]
    private var mask: Int
    private let stride: Int
    /// Distinct ids held.
    private(set) var count = 0

    /// A placeholder for cells that count no ids (it allocates nothing and must not be inserted into).
    static let empty = IdSet(words: [], stride: 1)

    /// An empty set; `counting` keeps how many times each id was inserted.
    init(counting: Bool = false) {
        self.init(words: Array(repeating: 0, count: 16 * (counting ? 2 : 1)), stride: counting ? 2 : 1)
    }

    private init(words: [UInt64], stride: Int) {
        self.words = words
        self.stride = stride
        mask = max(0, words.count / stride - 1)
    }

    /// Slots in the table.
    private var capacity: Int { words.count / stride }

    /// Starts loading the cache line where `hash` would go, ahead of its `insert`. `mutating`
    /// although it changes nothing: called on an element of the aggregator's array of sets, a
    /// non-mutating call copied the set out and retained and released its table (two atomic
    /// operations per id); a mutating one reads it in place.
    @inline(__always)
    mutating func prefetch(_ hash: UInt64) {
        let slot = Int(truncatingIfNeeded: hash == 0 ? 1 : hash) & mask
        words.withUnsafeBufferPointer { words in
            if let base = words.baseAddress { vigil_prefetch(base + slot &* stride) }
        }
    }

    /// Adds an id (and counts it when counting); returns whether it was new.
    @inline(__always)
    @discardableResult
    mutating func insert(_ hash: UInt64) -> Bool {
        let key = hash == 0 ? 1 : hash
        var slot = Int(truncatingIfNeeded: key) & mask
        while true {
            let existing = words[slot &* stride]
            if existing == key {
                if stride == 2 { words[slot &* 2 &+ 1] &+= 1 }
                return false
            }
            if existing == 0 { break }
            slot = (slot &+ 1) & mask
        }
        words[slot &* stride] = key
        if stride == 2 { words[slot &* 2 &+ 1] = 1 }
        count += 1
        if count * 4 > capacity * 3 { grow() }
        return true
    }

    /// Adds every id of `other` (adding their counts when counting): the union of two lanes' sets.
    /// The table is sized for both first, so it grows at most once.
    mutating func formUnion(_ other: IdSet) {
        var slots = capacity
        while (count + other.count) * 4 > slots * 3 { slots *= 2 }
        if slots > capacity { rehash(slots: slots) }
        for index in Swift.stride(from: 0, to: other.words.count, by: other.stride) where other.words[index] != 0 {
            let key = other.words[index]
            let n = other.stride == 2 ? other.words[index + 1] : 1
            var slot = Int(truncatingIfNeeded: key) & mask
            while true {
                let existing = words[slot &* stride]
                if existing == key {
                    if stride == 2 { words[slot &* 2 &+ 1] &+= n }
                    break
                }
                if existing == 0 {
                    words[slot &* stride] = key
                    if stride == 2 { words[slot &* 2 &+ 1] = n }
                    count += 1
                    if count * 4 > capacity * 3 { grow() }
                    break
                }
                slot = (slot &+ 1) & mask
            }
        }
    }

    private mutating func grow() { rehash(slots: capacity * 2) }

    /// Moves every id into a table of `slots` slots (a power of two).
    private mutating func rehash(slots: Int) {
        let old = words
        words = Array(repeating: 0, count: slots * stride)
        mask = capacity - 1
        for index in Swift.stride(from: 0, to: old.count, by: stride) where old[index] != 0 {
            var slot = Int(truncatingIfNeeded: old[index]) & mask
            while words[slot * stride] != 0 { slot = (slot &+ 1) & mask }
            words[slot * stride] = old[index]
            if stride == 2 { words[slot * 2 + 1] = old[index + 1] }
        }
    }

    /// How many ids were inserted exactly n times, for n in 1 … `buckets` (the last bucket holds
    /// `buckets` or more).
    func histogram(buckets: Int) -> [Int] {
        var out = Array(repeating: 0, count: buckets)
        guard buckets > 0 else { return out }
        for index in Swift.stride(from: 0, to: words.count, by: stride) where words[index] != 0 {
            let n = stride == 2 ? Int(words[index + 1]) : 1
            out[min(n, buckets) - 1] += 1
        }
        return out
    }
}
