// recall: this writer's two functions replace uniffi's (see ffi/uniffi-bindgen/src/swift_patch.rs):
// the buffer starts with room for a typical record instead of growing from empty, and integers
// are appended byte by byte instead of through the generic `append(contentsOf:)`.
fileprivate func createWriter() -> [UInt8] {
    var writer: [UInt8] = []
    writer.reserveCapacity(256)
    return writer
}

fileprivate func writeBytes<S>(_ writer: inout [UInt8], _ byteArr: S) where S: Sequence, S.Element == UInt8 {
    writer.append(contentsOf: byteArr)
}

// Writes an integer in big-endian order.
//
// Warning: make sure what you are trying to write
// is in the correct type!
fileprivate func writeInt<T: FixedWidthInteger>(_ writer: inout [UInt8], _ value: T) {
    var shift = T.bitWidth
    while shift > 0 {
        shift -= 8
        writer.append(UInt8(truncatingIfNeeded: value >> shift))
    }
}
