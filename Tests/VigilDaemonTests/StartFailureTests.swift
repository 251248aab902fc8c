import Foundation
import Testing
import VigilCore

@testable import VigilDaemon

/// Which start failures systemd retries (75) and which wait for IT (78): the unit has no start
/// limit, so a lasting 75 would restart every 5 s for ever without showing as failed.
@Suite struct StartFailureTests {
    @Test func onlyWhatCanPassByItselfIsRetried() {
        func status(_ error: any Error) -> Int32 { StartFailure.exitStatus(for: error) }
        #expect(status(VigilError(code: .storeLocked, message: "the store is in use")) == 75)
        #expect(
            status(VigilError(code: .store, message: "cannot migrate the store", cause: "database or disk is full")) == 75)
        #expect(status(NSError(domain: "vigild", code: Int(EMFILE), userInfo: nil)) == 75)
        #expect(status(NSError(domain: NSPOSIXErrorDomain, code: Int(ENOSPC), userInfo: nil)) == 75)
        // The configuration, its files, the folders and a store that cannot be opened: IT's.
        #expect(status(VigilErrors([VigilError(code: .config, message: "bad")])) == 78)
        #expect(status(VigilError(code: .unreadable, message: "cannot read /etc/vigil/vigil.yaml")) == 78)
        #expect(status(VigilError(code: .store, message: "cannot open the store", cause: "file is not a database")) == 78)
        #expect(
            status(VigilError(code: .store, message: "cannot open the store's lock file", cause: "Permission denied")) == 78)
        #expect(status(NSError(domain: NSCocoaErrorDomain, code: 513, userInfo: nil)) == 78)
        // One passing cause among several errors is enough to try again.
        #expect(
            status(VigilErrors([VigilError(code: .config, message: "x"), VigilError(code: .storeLocked, message: "y")]))
                == 75)
    }
}
