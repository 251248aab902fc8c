import Foundation
import VigilCore

/// The shipped catalogue, for rule and record-feed definitions to refer to.
let catalogue: Catalogue = {
    var root = URL(fileURLWithPath: #filePath)
    for _ in 0..<4 { root.deleteLastPathComponent() }
    let text = try! String(contentsOf: root.appendingPathComponent("config/catalogue.yaml"), encoding: .utf8)
    return try! Catalogue.parse(yaml: text, file: "catalogue.yaml")
}()

/// The YAML configuration (vigil.yaml, a catalogue, rule files, record-feed definitions): any
/// text gives a configuration or errors with positions, never a crash.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    let diagnostics = Diagnostics()
    _ = VigilConfig.parse(yaml: text, file: "vigil.yaml", diagnostics: Diagnostics())
    _ = Catalogue.parse(yaml: text, file: "catalogue.yaml", diagnostics: Diagnostics())
    _ = RuleSet.parse(yaml: text, file: "rules.yaml", catalogue: catalogue, diagnostics: diagnostics)
    _ = RecordFeed.parse(yaml: text, file: "records.yaml", catalogue: catalogue, diagnostics: Diagnostics())
    for error in diagnostics.errors { _ = error.description }
    return 0
}
