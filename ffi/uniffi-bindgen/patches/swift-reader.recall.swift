// recall: a second reader beside uniffi's (see ffi/uniffi-bindgen/src/swift_patch.rs).
// uniffi's wraps the returned buffer in Foundation's `Data` and copies every field out with
// `Data.copyBytes(to:from:)`, an unspecialized generic path of FoundationEssentials that costs
// microseconds per answer; this one loads the fields from the buffer's memory, which stays
// valid until `lift` frees it after reading. Same checks, same errors.
//
// uniffi's reader stays: the public converters' `read(from:)` take it, and another crate's
// bindings call them with it (external types). These helpers overload uniffi's on another
// tuple type; only this file's `lift` and the converters' `fileprivate` twins use them.
fileprivate func createReader(rustBuffer: RustBuffer) -> (bytes: UnsafeRawBufferPointer, offset: Int) {
    (bytes: UnsafeRawBufferPointer(start: rustBuffer.data, count: Int(rustBuffer.len)), offset: 0)
}

// Reads an integer at the current offset, in big-endian order, and advances
// the offset on success. Throws if reading the integer would move the
// offset past the end of the buffer.
fileprivate func readInt<T: FixedWidthInteger>(_ reader: inout (bytes: UnsafeRawBufferPointer, offset: Int)) throws -> T {
    let size = MemoryLayout<T>.size
    guard reader.bytes.count - reader.offset >= size else {
        throw UniffiInternalError.bufferOverflow
    }
    let value = reader.bytes.loadUnaligned(fromByteOffset: reader.offset, as: T.self)
    reader.offset += size
    return T(bigEndian: value)
}

// Reads an arbitrary number of bytes, to be used to read
// raw bytes, this is useful when lifting strings
fileprivate func readBytes(_ reader: inout (bytes: UnsafeRawBufferPointer, offset: Int), count: Int) throws -> Array<UInt8> {
    guard count >= 0, reader.bytes.count - reader.offset >= count else {
        throw UniffiInternalError.bufferOverflow
    }
    let value = Array(reader.bytes[reader.offset..<(reader.offset + count)])
    reader.offset += count
    return value
}

// Reads a string of `count` UTF-8 bytes, for the fast twin of `FfiConverterString.read`.
// uniffi's decodes the `Array` that `readBytes` returns: an allocation, a copy and a release
// per string. This one decodes straight from the buffer's memory, with the same check and
// error as `readBytes`, and the same `String(decoding:as:)` (invalid UTF-8 becomes U+FFFD).
fileprivate func readString(_ reader: inout (bytes: UnsafeRawBufferPointer, offset: Int), count: Int) throws -> String {
    guard count >= 0, reader.bytes.count - reader.offset >= count else {
        throw UniffiInternalError.bufferOverflow
    }
    let value = String(
        decoding: UnsafeRawBufferPointer(rebasing: reader.bytes[reader.offset..<(reader.offset + count)]),
        as: UTF8.self
    )
    reader.offset += count
    return value
}

// Reads a float at the current offset.
fileprivate func readFloat(_ reader: inout (bytes: UnsafeRawBufferPointer, offset: Int)) throws -> Float {
    return Float(bitPattern: try readInt(&reader))
}

// Reads a float at the current offset.
fileprivate func readDouble(_ reader: inout (bytes: UnsafeRawBufferPointer, offset: Int)) throws -> Double {
    return Double(bitPattern: try readInt(&reader))
}

// Indicates if the offset has reached the end of the buffer.
fileprivate func hasRemaining(_ reader: (bytes: UnsafeRawBufferPointer, offset: Int)) -> Bool {
    return reader.offset < reader.bytes.count
}
