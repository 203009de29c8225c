// swift-tools-version:5.9
// The Swift package of recall, for apps that point to this repository (SwiftPM resolves a
// remote package only from a Package.swift at the root of its git repository). The same
// targets as bindings/swift/Package.swift, with paths into bindings/swift/; see the README,
// "iOS developer".
//
// Apple platforms get the Rust core as RecallFFI.xcframework (static libraries for iOS, the
// iOS simulator and macOS; scripts/build-xcframework):
//   - on a release tag: the zip attached to that release, by URL and SHA-256. The two lines
//     below are written by `scripts/build-xcframework --release-url URL` on the release commit
//     (the Swift sources and the zip must come from the same commit: uniffi checks this at the
//     first call, "UniFFI API checksum mismatch");
//   - otherwise (both empty): bindings/swift/RecallFFI.xcframework, which
//     scripts/build-xcframework builds (it is not committed).
// Linux: the C header and module map as a system library, linked against librecall_ffi.so
// (`cargo build -p recall-ffi`; pass `-Xlinker -L<dir>`).
import PackageDescription

let releaseURL = ""
let releaseChecksum = ""

#if os(Linux)
let ffi: Target = .systemLibrary(name: "recallFFI", path: "bindings/swift/Sources/recallFFI")
let linkRust: [LinkerSetting] = [.linkedLibrary("recall_ffi")]
#else
let ffi: Target = releaseURL.isEmpty
    ? .binaryTarget(name: "recallFFI", path: "bindings/swift/RecallFFI.xcframework")
    : .binaryTarget(name: "recallFFI", url: releaseURL, checksum: releaseChecksum)
let linkRust: [LinkerSetting] = []
#endif

let package = Package(
    name: "Recall",
    platforms: [.iOS(.v13), .macOS(.v10_15)],
    products: [
        .library(name: "Recall", targets: ["Recall"]),
    ],
    targets: [
        ffi,
        .target(
            name: "Recall",
            dependencies: ["recallFFI"],
            path: "bindings/swift/Sources/Recall",
            linkerSettings: linkRust
        ),
        // Benchmarks (not a product): scripts/bench-swift runs them from bindings/swift.
        .executableTarget(
            name: "RecallBench",
            dependencies: ["Recall"],
            path: "bindings/swift/Sources/RecallBench"
        ),
        .testTarget(
            name: "RecallTests",
            dependencies: ["Recall"],
            path: "bindings/swift/Tests/RecallTests"
        ),
        // An app's file that imports Recall beside Foundation, Concurrency and another SDK with
        // a `Timestamp`: it builds only if Recall shadows none of their names.
        .target(name: "ConsumerSDK", path: "bindings/swift/Tests/ConsumerSDK"),
        .testTarget(
            name: "ConsumerTests",
            dependencies: ["Recall", "ConsumerSDK"],
            path: "bindings/swift/Tests/ConsumerTests"
        ),
    ]
)
