//! A second uniffi crate that uses `recall-ffi`'s types as external types, the way an app's
//! or SDK's own uniffi crate would: its functions and its record take and return recall's
//! enums, records and object. Its generated Swift calls recall's public converters
//! (`FfiConverterType…` `lift`, `lower`, `read(from:)`, `write(_:into:)`) from another
//! module, so compiling it against recall's patched Swift checks that the patch keeps
//! uniffi's public signatures (`scripts/check-external-types`). Not shipped.
//!
//! It depends on few items of recall's API on purpose: `Reason`, `ConversationKind`,
//! `RecallNotification` and `RecallPolicy`.

#![forbid(unsafe_code)]

use recall_ffi::{ConversationKind, Reason, RecallNotification, RecallPolicy};
use std::sync::Arc;

uniffi::setup_scaffolding!();

/// A record of this crate made of recall's types, so that its bindings read and write them
/// inside a buffer (`read(from:)` / `write(_:into:)`), not only lift and lower them.
#[derive(uniffi::Record)]
pub struct Envelope {
    /// A reason, as recall's enum.
    pub reason: Reason,
    /// Conversation kinds, in a sequence.
    pub kinds: Vec<ConversationKind>,
    /// A notification, optional.
    pub notification: Option<RecallNotification>,
    /// A policy object, optional.
    pub policy: Option<Arc<RecallPolicy>>,
}

/// Wraps recall's values in an [`Envelope`].
#[uniffi::export]
pub fn envelope(
    reason: Reason,
    kind: ConversationKind,
    notification: Option<RecallNotification>,
    policy: Arc<RecallPolicy>,
) -> Envelope {
    Envelope {
        reason,
        kinds: vec![kind, kind],
        notification,
        policy: Some(policy),
    }
}

/// Returns the envelope as it came: through the bindings, written with recall's converters
/// on the way in and read with them on the way out.
#[uniffi::export]
pub fn echo(envelope: Envelope) -> Envelope {
    envelope
}

/// The JSON of the envelope's policy, or an empty string without one.
#[uniffi::export]
pub fn policy_json(envelope: Envelope) -> String {
    envelope.policy.map(|p| p.to_json()).unwrap_or_default()
}
