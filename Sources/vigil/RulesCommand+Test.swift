import ArgumentParser
import Foundation
import VigilConfiguration
import VigilCore

extension RulesCommand {
    /// `vigil rules test FILE…`: run rule unit tests on the real engine.
    struct Test: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run rule unit tests: input series and the alerts expected (exit 1 on failure).")
        @OptionGroup var options: ConfigOptions

        @Argument(help: "Test files (default: the configuration's tests).")
        var files: [String] = []

        func run() throws {
            let loaded = try options.load()
            let diagnostics = Diagnostics()
            var passed = 0
            var failed = 0
            for file in files.isEmpty ? loaded.testFiles : files {
                guard let text = try? String(contentsOfFile: file, encoding: .utf8) else {
                    diagnostics.error(.unreadable, "cannot read the file", at: SourceLocation(file: file))
                    continue
                }
                let suite = RuleTestSuite.parse(yaml: text, file: file, catalogue: loaded.catalogue, diagnostics: diagnostics)
                for result in suite.run(catalogue: loaded.catalogue, rules: loaded.rules) {
                    if result.passed {
                        passed += 1
                        print("PASS \(file): \(result.name)")
                    } else {
                        failed += 1
                        print("FAIL \(file): \(result.name)" + result.failures.map { "\n  \($0)" }.joined())
                    }
                }
            }
            if !diagnostics.isEmpty {
                printError(VigilErrors(diagnostics.errors).description)
                throw ExitCode(2)
            }
            print("\(passed) passed, \(failed) failed")
            if failed > 0 { throw ExitCode(1) }
            if passed == 0 {
                // No test ran: that is not a pass.
                printError("error: no rule tests were found; give test files or list them under 'tests' in the configuration")
                throw ExitCode(1)
            }
        }
    }
}
