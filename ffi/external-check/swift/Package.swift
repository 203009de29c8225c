// swift-tools-version:5.9
// The Swift side of scripts/check-external-types: recall's committed (patched) Swift and the
// plain uniffi Swift of ffi/external-check, which uses recall's types as external types,
// compiled into one module, as uniffi's Swift expects of external types (the second file calls
// the first one's public converters). scripts/check-external-types copies this folder into
// the target directory and adds the sources; nothing here is shipped.
import PackageDescription

let package = Package(
    name: "RecallExternalCheck",
    targets: [
        .systemLibrary(name: "recallFFI", path: "Sources/recallFFI"),
        .systemLibrary(name: "recallExternalCheckFFI", path: "Sources/recallExternalCheckFFI"),
        .target(
            name: "Bindings",
            dependencies: ["recallFFI", "recallExternalCheckFFI"],
            path: "Sources/Bindings",
            // One library carries both crates (recall-ffi is linked into it).
            linkerSettings: [.linkedLibrary("recall_external_check")]
        ),
        .executableTarget(name: "Check", dependencies: ["Bindings"], path: "Sources/Check"),
    ]
)
