import Logging
import ServiceLifecycle

/// The intake loop as a swift-service-lifecycle service: graceful shutdown asks the loop to
/// finish the file in hand and stop.
public struct IntakeService: Service {
    private let loop: IntakeLoop

    /// Wraps a loop.
    public init(loop: IntakeLoop) { self.loop = loop }

    /// Runs until graceful shutdown or cancellation.
    public func run() async throws {
        loop.start()
        await withTaskCancellationHandler {
            await withGracefulShutdownHandler {
                await loop.waitUntilStopped()
            } onGracefulShutdown: {
                loop.requestStop()
            }
        } onCancel: {
            loop.requestStop()
        }
        if let failure = loop.failure { throw failure }
    }
}
