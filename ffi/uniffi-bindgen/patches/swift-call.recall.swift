// recall: these replace uniffi's (see ffi/uniffi-bindgen/src/swift_patch.rs). The same
// calls, always inlined, with the status checked in place and only a failure handled out of
// line: a generated function's closure is then inlined too, and no longer copies (retains
// and releases) the records it lowers.
@inline(__always)
private func rustCall<T>(_ callback: (UnsafeMutablePointer<RustCallStatus>) -> T) throws -> T {
    let neverThrow: ((RustBuffer) throws -> Never)? = nil
    return try makeRustCall(callback, errorHandler: neverThrow)
}

@inline(__always)
private func rustCallWithError<T, E: Swift.Error>(
    _ errorHandler: @escaping (RustBuffer) throws -> E,
    _ callback: (UnsafeMutablePointer<RustCallStatus>) -> T) throws -> T {
    try makeRustCall(callback, errorHandler: errorHandler)
}

@inline(__always)
private func makeRustCall<T, E: Swift.Error>(
    _ callback: (UnsafeMutablePointer<RustCallStatus>) -> T,
    errorHandler: ((RustBuffer) throws -> E)?
) throws -> T {
    uniffiEnsureRecallFfiInitialized()
    var callStatus = RustCallStatus.init()
    let returnedVal = callback(&callStatus)
    if callStatus.code != CALL_SUCCESS {
        try uniffiCheckCallStatus(callStatus: callStatus, errorHandler: errorHandler)
    }
    return returnedVal
}

