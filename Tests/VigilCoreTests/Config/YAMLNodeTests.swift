import Testing

@testable import VigilCore

/// How configuration YAML is read: every scalar as the text written, whatever it looks like.
@Suite struct YAMLNodeTests {
    private func node(_ text: String, _ diagnostics: Diagnostics = Diagnostics()) -> YAMLNode? {
        YAMLNode.parse(text, file: "t.yaml", diagnostics: diagnostics)
    }

    @Test func scalarsAreReadAsWrittenWhateverTheyLookLike() throws {
        let fields = try #require(
            node("{a: yes, b: 012, c: ~, d: 2013-04-01, e: '1', f: 1.50, g: .inf}").flatMap {
                YAMLFields($0, "t", allowed: ["a", "b", "c", "d", "e", "f", "g"])
            })
        #expect(
            ["a", "b", "c", "d", "e", "f", "g"].map { fields[$0]?.string("x") } == [
                "yes", "012", "~", "2013-04-01", "1", "1.50", ".inf",
            ])
        #expect(fields["a"]?.bool("x") == true)
        #expect(fields["b"]?.int("x") == 12)
        #expect(fields["f"]?.double("x") == 1.5)
    }

    @Test func keysThatReadAsTheSameTextAreDuplicates() {
        // `1` and `'1'` are one key to every accessor, so a mapping may not hold both.
        let diagnostics = Diagnostics()
        #expect(node("{1: a, '1': b}\n", diagnostics) == nil)
        #expect(
            diagnostics.errors.map(\.description) == [
                "t.yaml:1:2: error[config.invalid]: invalid YAML: duplicate key '1' in a mapping"
            ])
    }

    @Test func aRuleHashIsTheSHA256OfItsDefinitionAsCanonicalYAML() throws {
        // Block style with the keys sorted, whatever the layout written; stored with every alert
        // event, so it must not move between versions for an unchanged rule.
        let rules = try RuleSet.parse(
            files: [("a.yaml", "rules:\n  - {id: r, kind: band, indicator: t.count, priority: 1, params: {low: 1}}\n")],
            catalogue: Fixtures.catalogue)
        #expect(rules[0].hash == SHA256.hex("id: r\nindicator: t.count\nkind: band\nparams:\n  low: 1\npriority: 1\n"))
    }
}
