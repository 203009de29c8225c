// swift-tools-version:5.9
// The Swift package of recall: the generated bindings (Sources/Recall, Sources/recallFFI) over
// the Rust library. Add it to an app with Swift Package Manager; see the README.
import PackageDescription

#if os(Linux)
// Linux (servers, and this project's tests): the generated C header and module map, linked
// against librecall_ffi.so built by `cargo build -p recall-ffi` (pass `-Xlinker -L<dir>`).
let ffi: Target = .systemLibrary(name: "recallFFI", path: "Sources/recallFFI")
let linkRust: [LinkerSetting] = [.linkedLibrary("recall_ffi")]
#else
// Apple platforms: the XCFramework that `scripts/build-xcframework` builds here (on Linux or a
// Mac; static libraries for iOS, the iOS simulator and macOS, with the same header and module
// map under Headers/recallFFI/). Apps that point to the repository use the root Package.swift.
let ffi: Target = .binaryTarget(name: "recallFFI", path: "RecallFFI.xcframework")
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
            path: "Sources/Recall",
            linkerSettings: linkRust
        ),
        // Benchmarks (not a product): `swift build -c release --product RecallBench`;
        // scripts/bench-swift builds and runs it against the release library.
        .executableTarget(
            name: "RecallBench",
            dependencies: ["Recall"],
            path: "Sources/RecallBench"
        ),
        .testTarget(
            name: "RecallTests",
            dependencies: ["Recall"],
            path: "Tests/RecallTests"
        ),
        // An app's file that imports Recall beside Foundation, Concurrency and another SDK with
        // a `Timestamp`: it builds only if Recall shadows none of their names.
        .target(name: "ConsumerSDK", path: "Tests/ConsumerSDK"),
        .testTarget(
            name: "ConsumerTests",
            dependencies: ["Recall", "ConsumerSDK"],
            path: "Tests/ConsumerTests"
        ),
    ]
)
