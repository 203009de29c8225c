//! The `fast_call` target: the Kotlin fast path's entry (`ffi/src/fast.rs`, exported as
//! `recall_ffi_fast_call` and `Java_dev_recall_UniffiFastJni_call`) driven with requests built
//! from raw bytes.
//!
//! A request names an entry of the library's generated table of exports by its index; the
//! entry checks every header word against that entry, every buffer argument against the data
//! area (and a string's bytes for UTF-8), and answers `BAD_REQUEST` for anything else. So the
//! target fuzzes all of it: the index (past the end too), every header word, the alignment,
//! the argument slots, the buffer triples and the data area's bytes, for every export of the
//! table. The oracle is written from the module doc, apart from the entry's code: the entry
//! must answer `BAD_REQUEST` exactly when the request does not match its entry or its buffer,
//! never panic, and otherwise answer a status uniffi gives (0, 1 or 2), with every buffer it
//! leaves taken back and freed here.
//!
//! The one thing the target does not fuzz is the module doc's unchecked condition: a method's
//! receiver (argument slot 0) is always a live handle of the method's object, made here.

use arbitrary::Arbitrary;
use recall_ffi::{FastEntry, fast_entry};
use uniffi::{FfiBufferElement, FfiSerialize, Handle, RustBuffer, RustCallStatus};

unsafe extern "C" {
    fn recall_ffi_fast_call(io: i64) -> i32;
    fn Java_dev_recall_UniffiFastJni_call(
        env: *mut std::ffi::c_void,
        class: *mut std::ffi::c_void,
        io: i64,
    ) -> i32;
    fn uniffi_recall_ffi_fn_free_recallpolicy(h: Handle, s: &mut RustCallStatus);
    fn uniffi_recall_ffi_fn_free_recallstate(h: Handle, s: &mut RustCallStatus);
}

// The layout of ffi/src/fast.rs (its module doc).
const HEADER: usize = 8;
const INDEX: usize = 0;
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

/// Exports with a sequence or a map among their arguments (in a record too). uniffi 0.32 lifts
/// a sequence by reserving capacity for the length its bytes announce (`Vec::with_capacity`
/// of an `i32` read from the buffer, in uniffi_core's `Lift for Vec<T>`, and the same for
/// maps and sets): a crafted length aborts the process for want of memory (found by this
/// target; the same bytes through uniffi's own JNA path abort the same way). Not memory
/// unsafety, but an abort the entry cannot refuse without knowing the types: until it does, a
/// well-formed request to these is not sent (malformed ones still are). Listed from the
/// generated Kotlin's converters; `the_table_is_what_the_target_expects` checks the names.
const LIFTS_A_SEQUENCE: &[&str] = &[
    "uniffi_recall_ffi_fn_constructor_recallpolicy_new",
    "uniffi_recall_ffi_fn_func_legacy_command_to_recall",
    "uniffi_recall_ffi_fn_method_recallpolicy_decide_each",
    "uniffi_recall_ffi_fn_method_recallstate_on_messages",
    "uniffi_recall_ffi_fn_method_recallstate_on_recalls",
    "uniffi_recall_ffi_fn_method_recallstate_settle_all",
];

/// One input: a request to one entry of the table, every part of it fuzzed.
#[derive(Debug, Arbitrary)]
pub struct FastCallInput {
    jni: bool,
    /// Misaligns the buffer by this many bytes (mod 8).
    shift: u8,
    /// The entry named (mod the table's length + 2: past its end too).
    index: u8,
    /// Header words (slot mod 8) replaced by any value after the well-formed ones are written.
    wild: Vec<(u8, u64)>,
    /// The size slot (mod 4097) and the data area's offset (mod 4097).
    size: u16,
    data: u16,
    /// Argument slot values, from the first.
    slots: Vec<u64>,
    /// `(len, gap)` of each buffer argument of the entry, in order: its bytes start `gap`
    /// bytes after the previous one's end.
    triples: Vec<(u16, u16)>,
    /// The data area's bytes (from its start).
    bytes: Vec<u8>,
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
    /// The `RustBuffer` the entry left at `slot`, taken back and freed.
    fn free_buffer(&mut self, slot: usize) {
        let slots = [0, 1, 2].map(|i| FfiBufferElement {
            u64: self.get(slot + i),
        });
        drop(RustBuffer::get(&slots).destroy_into_vec());
    }
    /// Calls the entry, through the JNI or the C symbol.
    fn call(&mut self, jni: bool) -> i32 {
        let io = self.address() as i64;
        // SAFETY: the buffer is valid for `BUFFER_BYTES`, at least its size slot (the target
        // never writes a larger one), and nothing else uses it: the entry's precondition. A
        // method's receiver is a live handle of its object (`Receiver`).
        unsafe {
            if jni {
                Java_dev_recall_UniffiFastJni_call(std::ptr::null_mut(), std::ptr::null_mut(), io)
            } else {
                recall_ffi_fast_call(io)
            }
        }
    }
}

/// The live objects a method's receiver slot names, one of each class, freed at the end.
struct Receiver {
    policy: u64,
    state: u64,
}

impl Receiver {
    fn new() -> Self {
        let policy = Handle::from_pointer(std::sync::Arc::into_raw(
            recall_ffi::RecallPolicy::defaults(),
        ))
        .as_raw();
        let state = recall_ffi::RecallState::new("me".to_owned(), None).expect("a state");
        let state = Handle::from_pointer(std::sync::Arc::into_raw(state)).as_raw();
        Self { policy, state }
    }
    /// The handle for a method of the export `name`.
    fn for_method(&self, name: &str) -> u64 {
        if name.contains("_fn_method_recallpolicy_") {
            self.policy
        } else if name.contains("_fn_method_recallstate_") {
            self.state
        } else {
            panic!("{name}: a method of an object the target does not know: add it to Receiver")
        }
    }
}

impl Drop for Receiver {
    fn drop(&mut self) {
        free_object("recallpolicy", self.policy);
        free_object("recallstate", self.state);
    }
}

/// Frees a handle of the object `object` (the lowercase class name uniffi's symbols use).
fn free_object(object: &str, handle: u64) {
    let mut status = RustCallStatus::default();
    let handle = Handle::from_raw_unchecked(handle);
    // SAFETY: a handle made by `Arc::into_raw` (or returned by a constructor), freed once.
    unsafe {
        match object {
            "recallpolicy" => uniffi_recall_ffi_fn_free_recallpolicy(handle, &mut status),
            "recallstate" => uniffi_recall_ffi_fn_free_recallstate(handle, &mut status),
            other => panic!("{other}: an object the target does not know"),
        }
    }
}

/// The number of entries of the table.
fn table_len() -> usize {
    (0..)
        .find(|&i| fast_entry(i).is_none())
        .expect("a finite table")
}

impl FastCallInput {
    /// Runs the input through the entry and checks the answer.
    pub fn check(&self) {
        let len = table_len();
        let index = usize::from(self.index) % (len + 2);
        let entry = fast_entry(index);
        let mut io = Io::new(self.shift.into());
        let size = usize::from(self.size) % (BUFFER_BYTES + 1);
        let data = usize::from(self.data) % (BUFFER_BYTES + 1);
        // The entry's own shape (past the table's end, an arbitrary one).
        let shape = entry.unwrap_or(FastEntry {
            name: "none",
            args: 1,
            buffers: 0,
            strings: 0,
            returns: 1,
            copy_return: false,
            method: false,
        });
        let mut words = [
            index as u64,
            0,
            shape.args as u64,
            shape.buffers,
            shape.returns as u64,
            u64::from(shape.copy_return),
            size as u64,
            data as u64,
        ];
        for (i, &value) in self.slots.iter().take(64).enumerate() {
            io.set(HEADER + i, value);
        }
        // Each buffer argument's triple, its bytes after the previous one's.
        let mut next = data;
        for (bit, &(len, gap)) in (0..64)
            .filter(|i| shape.buffers >> i & 1 == 1)
            .zip(&self.triples)
        {
            let offset = next + usize::from(gap % 64);
            io.set(HEADER + bit, 0);
            io.set(HEADER + bit + 1, len.into());
            io.set(HEADER + bit + 2, offset as u64);
            next = offset + usize::from(len);
        }
        for &(slot, value) in self.wild.iter().take(4) {
            words[usize::from(slot) % HEADER] = value;
        }
        // The precondition: the size slot never says more than the bytes given.
        if words[SIZE] > BUFFER_BYTES as u64 {
            words[SIZE] %= BUFFER_BYTES as u64 + 1;
        }
        for (i, word) in words.iter().enumerate() {
            io.set(i, *word);
        }
        // The data area's bytes, never over the header.
        let from = usize::try_from(words[DATA])
            .unwrap_or(usize::MAX)
            .max(HEADER * 8);
        if from < BUFFER_BYTES {
            let area = &mut io.bytes()[from..];
            let n = area.len().min(self.bytes.len());
            area[..n].copy_from_slice(&self.bytes[..n]);
        }
        // The entry the request names in the end (a wild word may have changed the index).
        let entry = usize::try_from(words[INDEX]).ok().and_then(fast_entry);
        let receiver = Receiver::new();
        if let Some(method) = entry.filter(|entry| entry.method) {
            // The one unchecked condition: a method's receiver is a live handle of its object.
            io.set(HEADER, receiver.for_method(method.name));
        }
        let aligned = io
            .address()
            .is_multiple_of(std::mem::align_of::<FfiBufferElement>());
        let header: Vec<u64> = (0..HEADER).map(|i| io.get(i)).collect();
        let well_formed = aligned
            && entry.is_some_and(|entry| {
                let slots: Vec<u64> = (0..entry.args).map(|i| io.get(HEADER + i)).collect();
                well_formed(&entry, &header, &slots, io.bytes())
            });

        if well_formed && entry.is_some_and(|entry| LIFTS_A_SEQUENCE.contains(&entry.name)) {
            return;
        }

        let code = io.call(self.jni);

        let Some(entry) = entry.filter(|_| well_formed) else {
            assert_eq!(
                code, BAD_REQUEST,
                "a malformed request was not refused: {header:?}"
            );
            return;
        };
        assert!(
            matches!(code, 0..=2),
            "{}: a well-formed request answered {code}: {header:?}",
            entry.name
        );
        let copied = io.get(DATA) as i64;
        let at = HEADER + entry.args;
        if copied < 0 {
            // Left in its slots: the result, or the error buffer after them.
            let slot = if code == 0 {
                at
            } else {
                at + entry.returns + 1
            };
            io.free_buffer(slot);
        } else {
            assert!(copied as usize <= header[SIZE] as usize - header[DATA] as usize);
        }
        let constructed = entry
            .name
            .split_once("_fn_constructor_")
            .map(|(_, rest)| rest.split('_').next().unwrap_or_default());
        if let Some(object) = constructed.filter(|_| code == 0) {
            // A constructor's new object: freed.
            assert_eq!(entry.returns, 1);
            free_object(object, io.get(at));
        }
    }
}

/// The oracle, from the module doc of ffi/src/fast.rs: whether the request matches `entry`
/// and its buffer (`bytes`, from the buffer's start).
fn well_formed(entry: &FastEntry, header: &[u64], slots: &[u64], bytes: &[u8]) -> bool {
    let Ok(size) = usize::try_from(header[SIZE]) else {
        return false;
    };
    let Ok(data) = usize::try_from(header[DATA]) else {
        return false;
    };
    let shape_matches = header[1] == 0
        && header[ARGS] == entry.args as u64
        && header[BUFFERS] == entry.buffers
        && header[RETURNS] == entry.returns as u64
        && header[FLAGS] == u64::from(entry.copy_return)
        && (HEADER + entry.args + entry.returns + STATUS_SLOTS) * 8 <= data
        && data <= size;
    shape_matches
        && (0..64).filter(|i| entry.buffers >> i & 1 == 1).all(|slot| {
            let (len, offset) = (slots[slot + 1], slots[slot + 2]);
            let (Ok(len), Ok(offset)) = (usize::try_from(len), usize::try_from(offset)) else {
                return false;
            };
            let Some(end) = offset.checked_add(len) else {
                return false;
            };
            offset >= data
                && end <= size
                && (entry.strings >> slot & 1 == 0
                    || std::str::from_utf8(&bytes[offset..end]).is_ok())
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_is_what_the_target_expects() {
        let len = table_len();
        assert!(len > 10);
        let receiver = Receiver::new();
        let mut names = Vec::new();
        for i in 0..len {
            let entry = fast_entry(i).expect("an entry");
            if entry.method {
                receiver.for_method(entry.name);
            }
            names.push(entry.name);
        }
        for name in LIFTS_A_SEQUENCE {
            assert!(names.contains(name), "{name} is not in the table");
        }
        assert_eq!(INDEX, 0);
    }
}
