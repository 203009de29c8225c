// Hand-written (not generated): how a `Date` becomes the millisecond the Rust core works in.
// The generated Recall.swift calls it for every timestamp (ffi/uniffi.toml, custom_types), and
// `RecallInt` for every count it returns.
import Foundation

/// The millisecond since the Unix epoch that `date` names, rounded to the nearest, halves up.
/// A `Date` is a floating-point count of seconds, so `…:00.001` may arrive as
/// `…:00.000999999`: rounding, not truncating, keeps the millisecond that was meant. A date
/// that no `Int64` of milliseconds can hold (or not a number) becomes one the core refuses with
/// `invalid_argument`, like any date outside the years 0000 to 9999.
func recallUnixMillis(_ date: Date) -> Int64 {
    let millis = (date.timeIntervalSince1970 * 1000 + 0.5).rounded(.down)
    guard millis > -9.2e18, millis < 9.2e18 else { return millis < 0 ? .min : .max }
    return Int64(millis)
}

/// Counts, sizes and seconds cross the FFI as `Int32` or `Int64` and are `Int` in the API: the
/// generated getters lift through this (ffi/uniffi-bindgen/src/swift_api.rs). Every such value
/// is bounded far below `Int32.max` by the core (spec 3.1, 6.9).
enum RecallInt {
    static func lift(_ value: Int32) throws -> Int { Int(value) }
    static func lift(_ value: Int64) throws -> Int { Int(truncatingIfNeeded: value) }
}
