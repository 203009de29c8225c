// recall: this writer replaces uniffi's (see ffi/uniffi-bindgen/src/swift_patch.rs). uniffi's
// appends each byte to a growing `[UInt8]`, then copies the array into a new `RustBuffer`
// (one more crossing and copy) and frees it. This one writes straight into a `RustBuffer`
// that Rust allocated with room for a typical record, growing it through Rust
// (`rustbuffer_reserve`) when needed, and `lower` hands that buffer over as it is.
fileprivate func createWriter() -> RustBuffer {
    var writer = try! rustCall { ffi_recall_ffi_rustbuffer_alloc(256, $0) }
    writer.len = 0
    return writer
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
fileprivate func writeInt<T: FixedWidthInteger>(_ writer: inout RustBuffer, _ value: T) {
    let size = MemoryLayout<T>.size
    reserve(&writer, size)
    UnsafeMutableRawPointer(writer.data! + Int(writer.len)).storeBytes(of: value.bigEndian, as: T.self)
    writer.len += UInt64(size)
}
