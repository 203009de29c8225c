//! The `fast_call` target: the Kotlin fast path's entry (`ffi/src/fast.rs`, exported as
//! `recall_ffi_fast_call` and `Java_dev_recall_UniffiFastJni_call`) driven with requests built
//! from raw bytes.
//!
//! The entry still trusts a request to name a real function with its real signature (its
//! `# Safety`, SECURITY.md): a request naming an arbitrary address, or a real function with
//! slots that do not match it, is undefined behaviour, not a finding. So the target names only
//! functions it knows, and fuzzes everything else:
//!
//! - [`RawRequest`]: every header word, the mask, the argument slots, the buffer triples, the
//!   data area, the buffer's alignment, for a stand-in function ([`stand_in`]) whose
//!   "signature" is whatever the request says. The entry must answer `BAD_REQUEST` exactly
//!   when the request is malformed (an oracle written from the module doc, apart from the
//!   entry's code), never panic, and when it calls the stand-in: each marked triple must
//!   arrive as a `RustBuffer` holding exactly its bytes, a method's receiver cloned, and the
//!   stand-in's answer (a result, an error, a panic, a failing clone; copied back or left in
//!   its slots) must come back as the module doc says.
//! - [`RealCall`]: well-formed requests to a few real exports (reasons, decoders, a policy's
//!   `decide` and `to_json` through its clone function), with arbitrary argument bytes (the
//!   records' and enums' encodings; strings always UTF-8, which uniffi lifts unchecked), data
//!   areas of any size, and arbitrary primitives: the answer is a status uniffi can give, and
//!   every buffer comes back or is freed.

use arbitrary::Arbitrary;
use std::cell::RefCell;
use uniffi::{FfiBufferElement, FfiSerialize, Handle, RustBuffer, RustCallStatus};

unsafe extern "C" {
    fn recall_ffi_fast_call(io: i64) -> i32;
    fn Java_dev_recall_UniffiFastJni_call(
        env: *mut std::ffi::c_void,
        class: *mut std::ffi::c_void,
        io: i64,
    ) -> i32;
    fn uniffi_ffibuffer_recall_ffi_fn_method_reason_code(
        a: *mut FfiBufferElement,
        r: *mut FfiBufferElement,
    );
    fn uniffi_ffibuffer_recall_ffi_fn_method_reason_id(
        a: *mut FfiBufferElement,
        r: *mut FfiBufferElement,
    );
    fn uniffi_ffibuffer_recall_ffi_fn_func_recall_request_from_json(
        a: *mut FfiBufferElement,
        r: *mut FfiBufferElement,
    );
    fn uniffi_ffibuffer_recall_ffi_fn_func_recall_request_from_protobuf(
        a: *mut FfiBufferElement,
        r: *mut FfiBufferElement,
    );
    fn uniffi_ffibuffer_recall_ffi_fn_method_recallpolicy_to_json(
        a: *mut FfiBufferElement,
        r: *mut FfiBufferElement,
    );
    fn uniffi_ffibuffer_recall_ffi_fn_method_recallpolicy_decide(
        a: *mut FfiBufferElement,
        r: *mut FfiBufferElement,
    );
    fn uniffi_recall_ffi_fn_clone_recallpolicy(h: Handle, s: &mut RustCallStatus) -> Handle;
    fn uniffi_recall_ffi_fn_free_recallpolicy(h: Handle, s: &mut RustCallStatus);
}

// The layout of ffi/src/fast.rs (its module doc); slot 0 is the function's address.
const HEADER: usize = 8;
const CLONE: usize = 1;
const ARGS: usize = 2;
const BUFFERS: usize = 3;
const RETURNS: usize = 4;
const FLAGS: usize = 5;
const SIZE: usize = 6;
const DATA: usize = 7;
const STATUS_SLOTS: usize = 4;
const BAD_REQUEST: i32 = 100;
/// The bytes the target gives a request: the entry may use any part of them.
const BUFFER_BYTES: usize = 4096;

/// One input: a raw request for the stand-in, or a well-formed one for a real export.
#[derive(Debug, Arbitrary)]
pub enum FastCallInput {
    /// Everything fuzzed; the stand-in function is called.
    Raw(RawRequest),
    /// A real export, with arbitrary argument contents.
    Real(RealCall),
}

impl FastCallInput {
    /// Runs the input through the entry and checks the answer.
    pub fn check(&self) {
        match self {
            FastCallInput::Raw(raw) => raw.check(),
            FastCallInput::Real(real) => real.check(),
        }
    }
}

/// A request buffer: `BUFFER_BYTES` bytes, 8-aligned, plus 8 to misalign it on purpose.
struct Io {
    words: Vec<u64>,
    shift: usize,
}

impl Io {
    fn new(shift: usize) -> Self {
        Self {
            words: vec![0; BUFFER_BYTES / 8 + 1],
            shift: shift % 8,
        }
    }
    fn bytes(&mut self) -> &mut [u8] {
        let len = self.words.len() * 8;
        // SAFETY: the words are plain integers, every byte initialized; the view borrows them.
        let all = unsafe { std::slice::from_raw_parts_mut(self.words.as_mut_ptr().cast(), len) };
        &mut all[self.shift..self.shift + BUFFER_BYTES]
    }
    fn set(&mut self, slot: usize, value: u64) {
        self.bytes()[slot * 8..slot * 8 + 8].copy_from_slice(&value.to_ne_bytes());
    }
    fn get(&mut self, slot: usize) -> u64 {
        let bytes = &self.bytes()[slot * 8..slot * 8 + 8];
        u64::from_ne_bytes(bytes.try_into().expect("8 bytes"))
    }
    fn address(&mut self) -> usize {
        self.bytes().as_mut_ptr() as usize
    }
    /// The `RustBuffer` the entry left at `slot`, taken back and freed: its bytes.
    fn take_buffer(&mut self, slot: usize) -> Vec<u8> {
        let slots = [0, 1, 2].map(|i| FfiBufferElement {
            u64: self.get(slot + i),
        });
        RustBuffer::get(&slots).destroy_into_vec()
    }
    /// Calls the entry, through the JNI or the C symbol.
    fn call(&mut self, jni: bool) -> i32 {
        let io = self.address() as i64;
        // SAFETY: the buffer is valid for `BUFFER_BYTES`, at least its size slot; the request
        // names the stand-in (whose signature is what the request says) or a real export with
        // its real signature (the entry's remaining preconditions).
        unsafe {
            if jni {
                Java_dev_recall_UniffiFastJni_call(std::ptr::null_mut(), std::ptr::null_mut(), io)
            } else {
                recall_ffi_fast_call(io)
            }
        }
    }
}

// --- raw requests, for the stand-in --------------------------------------------------------

/// A request with every header word, slot and byte fuzzed; the function is the stand-in.
#[derive(Debug, Arbitrary)]
pub struct RawRequest {
    jni: bool,
    /// Misaligns the buffer by this many bytes (mod 8).
    shift: u8,
    method: bool,
    args: u8,
    mask: u64,
    returns: u8,
    flags: u8,
    /// The size slot, at most the bytes given (mod 4097).
    size: u16,
    data: u16,
    /// A header word (mod 6, past the addresses: slots 2 to 7) replaced by any value.
    wild: Option<(u8, u64)>,
    /// Argument slot values, from the first.
    slots: Vec<u64>,
    /// `(slot, len, offset)` triples written over the slots, marked in the mask.
    triples: Vec<(u8, u16, u16)>,
    /// The data area's bytes (from its start).
    bytes: Vec<u8>,
    answer: StandInAnswer,
}

/// What the stand-in function (and clone function) does.
#[derive(Debug, Clone, Arbitrary)]
pub struct StandInAnswer {
    /// The status code it writes (0 ok, 1 error, 2 panic, 3 cancelled, others unknown).
    code: u8,
    /// The result for 1 or 3 return slots, the error or panic message.
    result: Vec<u8>,
    clone_fails: bool,
}

/// What the stand-in expects to receive, set before each call.
struct Expected {
    args: usize,
    returns: usize,
    /// Each marked triple's slot and bytes.
    buffers: Vec<(usize, Vec<u8>)>,
    /// The receiver's handle after the clone, for a method.
    receiver: Option<u64>,
    answer: StandInAnswer,
    called: bool,
}

thread_local! {
    static EXPECTED: RefCell<Option<Expected>> = const { RefCell::new(None) };
}

/// The value the stand-in clone function makes of a handle.
fn cloned(handle: u64) -> u64 {
    handle ^ 0x5a5a
}

/// Stands in for an ffi-buffer function whose signature is what the request said: checks what
/// arrived, consumes the buffers as a real function would, writes the answer.
unsafe extern "C" fn stand_in(args: *mut FfiBufferElement, returns: *mut FfiBufferElement) {
    EXPECTED.with(|expected| {
        let mut expected = expected.borrow_mut();
        let expected = expected.as_mut().expect("the stand-in expects a call");
        assert!(!expected.called, "called twice");
        expected.called = true;
        // SAFETY: the entry passes the argument slots the request declared (checked by the
        // target's oracle before the call) and the return and status slots after them.
        let args = unsafe { std::slice::from_raw_parts_mut(args, expected.args) };
        // SAFETY: as above.
        let returned =
            unsafe { std::slice::from_raw_parts_mut(returns, expected.returns + STATUS_SLOTS) };
        if let Some(receiver) = expected.receiver {
            assert_eq!(u64::get(args), receiver, "the receiver was not cloned");
        }
        for (slot, bytes) in &expected.buffers {
            let lifted = RustBuffer::get(&args[*slot..]).destroy_into_vec();
            assert_eq!(&lifted, bytes, "argument slot {slot}");
        }
        let answer = &expected.answer;
        let code = answer.code % 6;
        if code == 0 {
            match expected.returns {
                1 => u64::put(returned, 0x0123_4567_89ab_cdef),
                3 => RustBuffer::put(returned, RustBuffer::from_vec(answer.result.clone())),
                _ => {}
            }
            RustCallStatus::put(&mut returned[expected.returns..], RustCallStatus::default());
        } else {
            let status = &mut returned[expected.returns..];
            status[0].i8 = code as i8;
            // An error, a panic and an unknown code carry a buffer; cancelled, an empty one.
            let error = if code == 3 {
                RustBuffer::new()
            } else {
                RustBuffer::from_vec(answer.result.clone())
            };
            RustBuffer::put(&mut status[1..], error);
        }
    });
}

/// Stands in for a clone function: a new handle, or a failure with a message.
unsafe extern "C" fn stand_in_clone(handle: Handle, status: &mut RustCallStatus) -> Handle {
    let fails = EXPECTED.with(|expected| {
        expected
            .borrow()
            .as_ref()
            .is_some_and(|expected| expected.answer.clone_fails)
    });
    if fails {
        status.code = uniffi::RustCallStatusCode::UnexpectedError;
        status.error_buf = std::mem::ManuallyDrop::new(RustBuffer::from_vec(b"no".to_vec()));
        return handle;
    }
    Handle::from_raw_unchecked(cloned(handle.as_raw()))
}

impl RawRequest {
    fn check(&self) {
        let mut io = Io::new(self.shift.into());
        let function = stand_in as *const () as usize as u64;
        let clone = if self.method {
            stand_in_clone as *const () as usize as u64
        } else {
            0
        };
        let mut words = [
            function,
            clone,
            self.args.into(),
            self.mask,
            self.returns.into(),
            self.flags.into(),
            u64::from(self.size) % (BUFFER_BYTES as u64 + 1),
            self.data.into(),
        ];
        for (i, &value) in self.slots.iter().take(80).enumerate() {
            io.set(HEADER + i, value);
        }
        for &(slot, len, offset) in self.triples.iter().take(30) {
            let slot = usize::from(slot) % 72;
            io.set(HEADER + slot, 0);
            io.set(HEADER + slot + 1, len.into());
            io.set(HEADER + slot + 2, offset.into());
            words[BUFFERS] |= 1u64.checked_shl(slot as u32).unwrap_or(0);
        }
        if let Some((slot, value)) = self.wild {
            words[ARGS + usize::from(slot) % 6] = value;
            words[SIZE] = words[SIZE].min(BUFFER_BYTES as u64);
        }
        for (i, word) in words.iter().enumerate() {
            io.set(i, *word);
        }
        let data = words[DATA] as usize;
        // Never over slots 0 and 1: the request names only the stand-ins.
        let from = data.max(16);
        if from < BUFFER_BYTES {
            let area = &mut io.bytes()[from..];
            let n = area.len().min(self.bytes.len());
            area[..n].copy_from_slice(&self.bytes[..n]);
        }
        let aligned = io
            .address()
            .is_multiple_of(std::mem::align_of::<FfiBufferElement>());
        let header: Vec<u64> = (0..HEADER).map(|i| io.get(i)).collect();
        let slots: Vec<u64> = (0..72).map(|i| io.get(HEADER + i)).collect();
        let well_formed = aligned.then(|| well_formed(&header, &slots)).flatten();
        let receiver = (clone != 0).then(|| cloned(slots[0]));
        let expected = well_formed.as_ref().map(|buffers| Expected {
            args: header[ARGS] as usize,
            returns: header[RETURNS] as usize,
            buffers: buffers
                .iter()
                .map(|(slot, range)| (*slot, io.bytes()[range.clone()].to_vec()))
                .collect(),
            receiver,
            answer: self.answer.clone(),
            called: false,
        });
        EXPECTED.with(|e| *e.borrow_mut() = expected);

        let code = io.call(self.jni);

        let expected = EXPECTED.with(|e| e.borrow_mut().take());
        let Some(expected) = expected else {
            assert_eq!(code, BAD_REQUEST, "a malformed request was not refused");
            return;
        };
        assert_ne!(
            code, BAD_REQUEST,
            "a well-formed request was refused: {header:?}"
        );
        let returns = expected.returns;
        let copy = header[FLAGS] == 1;
        let data_len = header[SIZE] as usize - data;
        let at = HEADER + expected.args;
        let copied = io.get(DATA) as i64;
        let answer = &self.answer;
        // What comes back: the clone's failure, or the stand-in's answer.
        let (want_code, message) = if clone != 0 && answer.clone_fails {
            assert!(!expected.called, "called after its clone failed");
            (2, Some(b"no".to_vec()))
        } else {
            assert!(expected.called, "the stand-in was not called");
            match answer.code % 6 {
                0 => (0, copy.then(|| answer.result.clone())),
                3 => (3, Some(Vec::new())),
                c @ (1 | 2) => (i32::from(c), Some(answer.result.clone())),
                _ => (2, Some(answer.result.clone())), // an unknown code is a panic's
            }
        };
        assert_eq!(code, want_code);
        match message {
            None => {
                assert_eq!(copied, 0);
                if want_code == 0 && returns == 3 {
                    // Not asked to copy: the result stays in its slots, Kotlin's to lift.
                    assert_eq!(io.take_buffer(at), answer.result);
                }
            }
            Some(bytes) if bytes.len() <= data_len => {
                assert_eq!(copied, bytes.len() as i64);
                assert_eq!(&io.bytes()[data..data + bytes.len()], &bytes[..]);
            }
            Some(bytes) => {
                assert_eq!(copied, -1);
                let slot = if want_code == 0 { at } else { at + returns + 1 };
                assert_eq!(io.take_buffer(slot), bytes);
            }
        }
    }
}

/// The oracle, from the module doc of ffi/src/fast.rs: the marked triples (slot, byte range
/// in the buffer) of a well-formed request, `None` for a malformed one.
fn well_formed(header: &[u64], slots: &[u64]) -> Option<Vec<(usize, std::ops::Range<usize>)>> {
    let word = |i: usize| usize::try_from(header[i]).ok();
    let (args, returns, size, data) = (word(ARGS)?, word(RETURNS)?, word(SIZE)?, word(DATA)?);
    let (mask, flags, clone) = (header[BUFFERS], header[FLAGS], header[CLONE]);
    let fits = flags <= 1
        && args <= 64
        && matches!(returns, 0 | 1 | 3)
        && (flags == 0 || returns == 3)
        && (HEADER + args + returns + STATUS_SLOTS) * 8 <= data
        && data <= size
        && (clone == 0 || (args >= 1 && mask & 1 == 0));
    if !fits {
        return None;
    }
    let mut buffers = Vec::new();
    let mut free_from = 0;
    for slot in (0..64).filter(|i| mask >> i & 1 == 1) {
        if slot < free_from || slot + 3 > args {
            return None;
        }
        let len = usize::try_from(slots[slot + 1]).ok()?;
        let offset = usize::try_from(slots[slot + 2]).ok()?;
        if offset < data || offset.checked_add(len)? > size {
            return None;
        }
        buffers.push((slot, offset..offset + len));
        free_from = slot + 3;
    }
    Some(buffers)
}

// --- real exports --------------------------------------------------------------------------

/// A well-formed request to a real export, with arbitrary argument contents.
#[derive(Debug, Arbitrary)]
pub struct RealCall {
    jni: bool,
    export: Export,
    /// Bytes left free before each argument's bytes in the data area.
    gaps: Vec<u8>,
    /// Bytes of data area after the arguments (mod 1024).
    room: u16,
}

/// The exports the target calls, each with arguments of its real types.
#[derive(Debug, Arbitrary)]
enum Export {
    /// `Reason.code()`: a `Reason` (its encoding, any bytes) → `i32`.
    ReasonCode(Vec<u8>),
    /// `Reason.id()`: → `String`, copied back.
    ReasonId(Vec<u8>),
    /// `recallRequestFromJson(json)`: any UTF-8 → a record or a typed error.
    RequestFromJson(String),
    /// `recallRequestFromProtobuf(bytes)`: a `Vec<u8>`'s encoding, any bytes.
    RequestFromProtobuf(Vec<u8>),
    /// `RecallPolicy.toJson()` on the default policy, through its clone function.
    PolicyToJson,
    /// `RecallPolicy.decide(request, by, message, now)`: three records' encodings (any bytes)
    /// and any `now`.
    Decide(Vec<u8>, Vec<u8>, Vec<u8>, i64),
}

/// An ffi-buffer function of the library.
type Function = unsafe extern "C" fn(*mut FfiBufferElement, *mut FfiBufferElement);

/// A real export's request: the function, whether it is a method (its receiver cloned), its
/// buffer arguments, a primitive after them, its return slots, the copy flag, and the status
/// codes it may answer.
type Shape<'a> = (
    Function,
    bool,
    Vec<&'a [u8]>,
    Option<i64>,
    usize,
    bool,
    &'static [i32],
);

impl RealCall {
    fn check(&self) {
        let handle = Handle::from_pointer(std::sync::Arc::into_raw(
            recall_ffi::RecallPolicy::defaults(),
        ))
        .as_raw();
        let (function, method, buffers, primitive, returns, copy, codes): Shape<'_> =
            match &self.export {
                Export::ReasonCode(b) => (
                    uniffi_ffibuffer_recall_ffi_fn_method_reason_code,
                    false,
                    vec![b],
                    None,
                    1,
                    false,
                    &[0, 2],
                ),
                Export::ReasonId(b) => (
                    uniffi_ffibuffer_recall_ffi_fn_method_reason_id,
                    false,
                    vec![b],
                    None,
                    3,
                    true,
                    &[0, 2],
                ),
                Export::RequestFromJson(s) => (
                    uniffi_ffibuffer_recall_ffi_fn_func_recall_request_from_json,
                    false,
                    vec![s.as_bytes()],
                    None,
                    3,
                    true,
                    &[0, 1],
                ),
                Export::RequestFromProtobuf(b) => (
                    uniffi_ffibuffer_recall_ffi_fn_func_recall_request_from_protobuf,
                    false,
                    vec![b],
                    None,
                    3,
                    true,
                    &[0, 1, 2],
                ),
                Export::PolicyToJson => (
                    uniffi_ffibuffer_recall_ffi_fn_method_recallpolicy_to_json,
                    true,
                    vec![],
                    None,
                    3,
                    true,
                    &[0],
                ),
                Export::Decide(request, by, message, now) => (
                    uniffi_ffibuffer_recall_ffi_fn_method_recallpolicy_decide,
                    true,
                    vec![request, by, message],
                    Some(*now),
                    3,
                    true,
                    &[0, 1, 2],
                ),
            };
        let mut io = Io::new(0);
        let mut slot = HEADER;
        let mut mask = 0u64;
        if method {
            io.set(slot, handle);
            slot += 1;
        }
        let data = 1024;
        let mut next = data;
        for (i, bytes) in buffers.iter().enumerate() {
            next += usize::from(self.gaps.get(i).copied().unwrap_or(0));
            if next + bytes.len() > BUFFER_BYTES {
                free_policy(handle);
                return; // does not fit: nothing to call
            }
            io.bytes()[next..next + bytes.len()].copy_from_slice(bytes);
            mask |= 1 << (slot - HEADER);
            io.set(slot, 0);
            io.set(slot + 1, bytes.len() as u64);
            io.set(slot + 2, next as u64);
            slot += 3;
            next += bytes.len();
        }
        if let Some(value) = primitive {
            io.set(slot, value as u64);
            slot += 1;
        }
        let args = slot - HEADER;
        let size = (next + usize::from(self.room % 1024)).min(BUFFER_BYTES);
        let clone = if method {
            uniffi_recall_ffi_fn_clone_recallpolicy as *const () as usize as u64
        } else {
            0
        };
        for (i, word) in [
            function as *const () as usize as u64,
            clone,
            args as u64,
            mask,
            returns as u64,
            u64::from(copy),
            size as u64,
            data as u64,
        ]
        .into_iter()
        .enumerate()
        {
            io.set(i, word);
        }

        let code = io.call(self.jni);

        assert!(codes.contains(&code), "{:?} answered {code}", self.export);
        let copied = io.get(DATA) as i64;
        let answered = if copied < 0 {
            // Left in its slots: the result, or the error buffer after them.
            let at = HEADER + args + if code == 0 { 0 } else { returns + 1 };
            io.take_buffer(at)
        } else {
            let copied = copied as usize;
            assert!(copied <= size - data);
            io.bytes()[data..data + copied].to_vec()
        };
        if code == 0 && matches!(self.export, Export::PolicyToJson) {
            let json = recall_ffi::RecallPolicy::defaults().to_json();
            assert_eq!(answered, json.as_bytes());
        }
        free_policy(handle);
    }
}

/// Frees the handle made for a call (the call consumed only its clone).
fn free_policy(handle: u64) {
    let mut status = RustCallStatus::default();
    // SAFETY: the handle `Arc::into_raw` made, with the count it gave, freed once.
    unsafe {
        uniffi_recall_ffi_fn_free_recallpolicy(Handle::from_raw_unchecked(handle), &mut status)
    };
}
