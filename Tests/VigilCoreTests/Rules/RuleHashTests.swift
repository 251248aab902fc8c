import Testing

@testable import VigilCore

/// A rule made in code (the return schedule's `overdue` rules) is hashed from its fields. Firing
/// alerts record that hash, so the overdue rules' spelled-out printout must give exactly the
/// hash the reflective printout (`"\(kind)"`) gave before it.
@Suite struct RuleHashTests {
    /// The field hash as `Rule.init` computed it before the overdue kind was spelled out, and
    /// before `gap_days`, which the printout leaves out at its default.
    private func reflective(_ r: Rule) -> String {
        let kind = "\(r.kind)".replacing(", gapDays: \(RuleKind.Overdue.defaultGapDays))", with: ")")
        return SHA256.hex(
            Array(
                "\(r.id)|\(kind)|\(r.indicator)|\(r.selector)|\(r.severity)|\(r.priority)|\(r.forPeriods)|\(r.message ?? "")|\(r.action ?? "")"
                    .utf8))
    }

    @Test func anOverdueRuleKeepsTheHashItsAlertsRecorded() {
        for days in [0, 1, 30, 45, 365] {
            for severity in Severity.allCases {
                let rule = Rule(
                    id: "due-caf-registered", kind: .overdue(.init(days: days)), indicator: "caf.registered",
                    severity: severity, priority: 1,
                    action:
                        "Remind Children's Services to send {{title}} for {{period}}: due \(days) days after each period ends.")
                #expect(rule.hash == reflective(rule))
            }
        }
        let constrained = Rule(
            id: "due-x", kind: .overdue(.init(days: 10)), indicator: "cp.plans",
            selector: BreakdownSelector(constraints: ["category": "*"]), priority: 2, forPeriods: 2, message: "m")
        #expect(constrained.hash == reflective(constrained))
        #expect(Rule.printout(.overdue(.init(days: 7))) == "overdueOverdue(days: 7)")
        // Another gap_days is another rule: its alerts are re-judged.
        #expect(Rule.printout(.overdue(.init(days: 7, gapDays: 0))) == "\(RuleKind.overdue(.init(days: 7, gapDays: 0)))")
    }

    @Test func otherKindsAreStillPrinted() {
        let rule = Rule(
            id: "t", kind: .threshold(.init(direction: .up, warning: 3, critical: nil)), indicator: "caf.registered", priority: 1)
        #expect(rule.hash == reflective(rule))
    }

    @Test func aRuleFileSuppliesItsOwnHash() {
        let rule = Rule(id: "t", kind: .overdue(.init(days: 1)), indicator: "caf.registered", priority: 1, hash: "abc")
        #expect(rule.hash == "abc")
    }
}
