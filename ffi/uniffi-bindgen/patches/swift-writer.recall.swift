// recall: a second writer beside uniffi's (see ffi/uniffi-bindgen/src/swift_patch.rs).
// uniffi's appends each byte to a growing `[UInt8]`, then copies the array into a new
// `RustBuffer` (one more crossing and copy) and frees it. This one writes straight into a
// `RustBuffer` that Rust allocated with room for a typical record, growing it through Rust
// (`rustbuffer_reserve`) when needed, and `lower` hands that buffer over as it is.
//
// uniffi's writer stays: the public converters' `write(_:into:)` take it, and another crate's
// bindings call them with it (external types). These helpers overload uniffi's on
// `RustBuffer`; only this file's `lower` and the converters' `fileprivate` twins use them.
//
// The first buffer comes from `rustbuffer_reserve` on the empty buffer (null data, which Rust
// takes as an empty `Vec`): an allocation without the zeroing of `rustbuffer_alloc`.
fileprivate func createRustBufferWriter() -> RustBuffer {
    return try! rustCall { ffi_recall_ffi_rustbuffer_reserve(RustBuffer(capacity: 0, len: 0, data: nil), 256, $0) }
}

// Makes room for `count` more bytes.
@inline(__always)
fileprivate func reserve(_ writer: inout RustBuffer, _ count: Int) {
    if writer.capacity - writer.len < UInt64(count) {
        grow(&writer, count)
    }
}

@inline(never)
fileprivate func grow(_ writer: inout RustBuffer, _ count: Int) {
    let buffer = writer
    writer = try! rustCall { ffi_recall_ffi_rustbuffer_reserve(buffer, UInt64(count), $0) }
}

fileprivate func writeBytes<S>(_ writer: inout RustBuffer, _ byteArr: S) where S: Sequence, S.Element == UInt8 {
    let copied: Void? = byteArr.withContiguousStorageIfAvailable { bytes in
        guard let base = bytes.baseAddress, bytes.count > 0 else { return }
        reserve(&writer, bytes.count)
        (writer.data! + Int(writer.len)).update(from: base, count: bytes.count)
        writer.len += UInt64(bytes.count)
    }
    if copied == nil {
        for byte in byteArr {
            writeInt(&writer, byte)
        }
    }
}

// Writes an integer in big-endian order.
//
// Warning: make sure what you are trying to write
// is in the correct type!
@inline(__always)
fileprivate func writeInt<T: FixedWidthInteger>(_ writer: inout RustBuffer, _ value: T) {
    let size = MemoryLayout<T>.size
    reserve(&writer, size)
    UnsafeMutableRawPointer(writer.data! + Int(writer.len)).storeBytes(of: value.bigEndian, as: T.self)
    writer.len += UInt64(size)
}

// Writes a string as uniffi's `FfiConverterString` does: its length in UTF-8 bytes as an
// `Int32`, then the bytes, with one reservation and one copy. A native string's UTF-8 is
// contiguous and read in place; any other (bridged from Objective-C) is made native first.
fileprivate func writeString(_ writer: inout RustBuffer, _ value: String) {
    let written: Void? = value.utf8.withContiguousStorageIfAvailable { writeUTF8(&writer, $0) }
    if written == nil {
        var native = value
        native.withUTF8 { writeUTF8(&writer, $0) }
    }
}

@inline(__always)
fileprivate func writeUTF8(_ writer: inout RustBuffer, _ bytes: UnsafeBufferPointer<UInt8>) {
    let size = 4 + bytes.count
    reserve(&writer, size)
    let at = UnsafeMutableRawPointer(writer.data! + Int(writer.len))
    at.storeBytes(of: Int32(bytes.count).bigEndian, as: Int32.self)
    if let base = bytes.baseAddress {
        (at + 4).copyMemory(from: base, byteCount: bytes.count)
    }
    writer.len += UInt64(size)
}

fileprivate func writeFloat(_ writer: inout RustBuffer, _ value: Float) {
    writeInt(&writer, value.bitPattern)
}

fileprivate func writeDouble(_ writer: inout RustBuffer, _ value: Double) {
    writeInt(&writer, value.bitPattern)
}
