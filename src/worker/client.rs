//! The page's side: starts the worker on this bundle's own files, queues updates until it is up,
//! and hands each response to the app. In a worker, `serve` is the other end.
//!
//! A message is a JS array: the value in postcard's compact binary form (serde, no field names:
//! both ends are this same wasm), then the editors' texts as they are, when an update carries
//! them, and the audit page's dump — a 7 MB dump copied into the payload and out again would cost
//! the page a long task.
//! (postcard rather than JSON also because its decoder is much smaller in the bundle: it reads
//! fields in order, where a JSON decoder must also match names, skip unknown ones, accept both
//! maps and arrays.)

use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use super::service::Service;
use super::{EditorText, Response, Update};

type Receiver = Rc<dyn Fn(Response)>;

enum Channel {
    /// Updates wait in `queue` until the worker says it is ready.
    Worker {
        worker: web_sys::Worker,
        ready: bool,
        queue: Vec<Update>,
        receive: Receiver,
    },
    /// No worker could be started: the service runs on the page (slower for big clusters, same
    /// results).
    Local(Rc<RefCell<Service>>, Receiver),
}

thread_local! {
    static CHANNEL: RefCell<Option<Channel>> = const { RefCell::new(None) };
}

/// Is this code running in a dedicated worker rather than on the page?
pub fn in_worker() -> bool {
    js_sys::global()
        .dyn_into::<web_sys::DedicatedWorkerGlobalScope>()
        .is_ok()
}

/// Starts the worker; every response goes to `receive`, in order.
pub fn start(receive: impl Fn(Response) + 'static) {
    let receive: Receiver = Rc::new(receive);
    let channel = match spawn(receive.clone()) {
        Ok(worker) => Channel::Worker {
            worker,
            ready: false,
            queue: Vec::new(),
            receive,
        },
        Err(why) => local(&why, receive),
    };
    CHANNEL.with(|c| *c.borrow_mut() = Some(channel));
}

/// Does the page's work go to a worker (rather than to the service on the page)?
pub fn has_worker() -> bool {
    CHANNEL.with(|c| matches!(c.borrow().as_ref(), Some(Channel::Worker { .. })))
}

fn local(why: &str, receive: Receiver) -> Channel {
    web_sys::console::warn_1(&format!("DaemonSet Lab: no worker ({why}); simulating on the page").into());
    Channel::Local(Rc::new(RefCell::new(Service::default())), receive)
}

/// The worker failed before it was up (its script or wasm could not load): the updates it
/// did not get are served on the page instead.
fn fall_back(why: &str) {
    let queued = CHANNEL.with(|c| {
        let mut c = c.borrow_mut();
        let Some(Channel::Worker {
            worker,
            ready: false,
            queue,
            receive,
        }) = c.as_mut()
        else {
            return None;
        };
        worker.terminate();
        let queued = std::mem::take(queue);
        *c = Some(local(why, receive.clone()));
        Some(queued)
    });
    for update in queued.unwrap_or_default() {
        send(update);
    }
}

/// Sends what changed to the worker.
pub fn send(update: Update) {
    let local = CHANNEL.with(|c| match c.borrow_mut().as_mut() {
        Some(Channel::Worker {
            worker, ready: true, ..
        }) => {
            post(worker, &update);
            None
        }
        Some(Channel::Worker { queue, .. }) => {
            queue.push(update);
            None
        }
        Some(Channel::Local(service, receive)) => Some((service.clone(), receive.clone(), update)),
        None => None,
    });
    // On the page, answered outside the borrow (the receiver may send again).
    if let Some((service, receive, mut update)) = local {
        if let Some(EditorText::File(file)) = update.audit_text.take_if(|t| matches!(t, EditorText::File(_)))
        {
            // Only a worker reads a file at once: here it is read first, then served.
            wasm_bindgen_futures::spawn_local(async move {
                let bytes = wasm_bindgen_futures::JsFuture::from(file.array_buffer()).await;
                let bytes = bytes
                    .map(|b| js_sys::Uint8Array::new(&b).to_vec())
                    .unwrap_or_default();
                update.audit_text = Some(EditorText::Bytes(bytes));
                send(update);
            });
            return;
        }
        let mut out = Vec::new();
        service.borrow_mut().update(update, &mut |r| out.push(r));
        for r in out {
            receive(r);
        }
    }
}

fn on_ready() {
    CHANNEL.with(|c| {
        if let Some(Channel::Worker {
            worker, ready, queue, ..
        }) = c.borrow_mut().as_mut()
        {
            *ready = true;
            for update in queue.drain(..) {
                post(worker, &update);
            }
        }
    });
}

/// The addresses of this bundle's JS glue and wasm, as trunk put them in index.html.
fn bundle_files() -> Option<(String, String)> {
    let doc = web_sys::window()?.document()?;
    let href = |selector: &str| {
        doc.query_selector(selector)
            .ok()
            .flatten()
            .and_then(|e| e.dyn_into::<web_sys::HtmlLinkElement>().ok())
            .map(|l| l.href())
    };
    Some((
        href("link[rel=modulepreload][href$='.js']")?,
        href("link[rel=preload][href$='.wasm']")?,
    ))
}

fn spawn(receive: Receiver) -> Result<web_sys::Worker, String> {
    let (glue, wasm) = bundle_files().ok_or("the bundle's files are not named in the page")?;
    let url = format!(
        "worker.js?glue={}&wasm={}",
        js_sys::encode_uri_component(&glue),
        js_sys::encode_uri_component(&wasm)
    );
    let options = web_sys::WorkerOptions::new();
    options.set_type(web_sys::WorkerType::Module);
    let worker = web_sys::Worker::new_with_options(&url, &options).map_err(|e| format!("{e:?}"))?;
    let on_message = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |ev: web_sys::MessageEvent| {
        let response = decode::<Response, 1>(&ev.data()).map(|(mut r, [text])| {
            // Kept as the JS string it is (see `Response::text_beside`).
            if let (Some(slot), Ok(text)) = (r.text_beside(), text.dyn_into::<js_sys::JsString>()) {
                *slot = Some(EditorText::Js(text));
            }
            r
        });
        match response {
            Ok(Response::Ready) => on_ready(),
            Ok(r) => receive(r),
            Err(e) => {
                web_sys::console::error_1(&format!("DaemonSet Lab: unreadable worker message: {e}").into())
            }
        }
    });
    worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    on_message.forget();
    // A script that cannot load fires a plain Event, not an ErrorEvent: reading its message as
    // an ErrorEvent's threw, and the page never fell back.
    let on_error = Closure::<dyn FnMut(web_sys::Event)>::new(move |ev: web_sys::Event| {
        let message = ev
            .dyn_ref::<web_sys::ErrorEvent>()
            .map(web_sys::ErrorEvent::message);
        let why = format!(
            "the simulation worker failed: {}",
            message.unwrap_or_else(|| "its script could not be loaded".into())
        );
        let up = CHANNEL.with(|c| matches!(c.borrow().as_ref(), Some(Channel::Worker { ready: true, .. })));
        if up {
            crate::panic::show_failure(&why);
        } else {
            fall_back(&why);
        }
    });
    worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
    on_error.forget();
    Ok(worker)
}

/// The worker's main loop: each message is an `Update`, answered by the service's responses.
pub fn serve() {
    let scope: web_sys::DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let service = RefCell::new(Service::default());
    let post = scope.clone();
    let send = move |r: &mut Response| {
        let text = r.text_beside().and_then(Option::take).as_ref().map(js_text);
        if let Some(message) = encode(r, [text]) {
            let _ = post.post_message(&message);
        }
    };
    let reply = send.clone();
    let on_message = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |ev: web_sys::MessageEvent| {
        match decode::<Update, 3>(&ev.data()) {
            Ok((mut update, [daemonsets, nodes, audit])) => {
                let text = |t: JsValue| match t.as_string() {
                    Some(text) => Some(EditorText::from(text)),
                    None => match t.dyn_into::<js_sys::Uint8Array>() {
                        Ok(bytes) => Some(EditorText::Bytes(bytes.to_vec())),
                        Err(t) => t.dyn_into::<web_sys::Blob>().ok().map(EditorText::File),
                    },
                };
                update.daemonsets = text(daemonsets);
                update.nodes = text(nodes);
                update.audit_text = text(audit);
                service.borrow_mut().update(update, &mut |mut r| reply(&mut r))
            }
            Err(e) => {
                web_sys::console::error_1(&format!("DaemonSet Lab worker: unreadable update: {e}").into())
            }
        }
    });
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    on_message.forget();
    send(&mut Response::Ready);
}

fn post(worker: &web_sys::Worker, update: &Update) {
    let text = |t: &Option<EditorText>| t.as_ref().map(js_text);
    let texts = [&update.daemonsets, &update.nodes, &update.audit_text].map(text);
    if let Some(message) = encode(update, texts) {
        let _ = worker.post_message(&message);
    }
}

/// `value` and the texts as one message.
fn encode<T: serde::Serialize, const N: usize>(value: &T, texts: [Option<JsValue>; N]) -> Option<JsValue> {
    let bytes = postcard::to_allocvec(value)
        .map_err(|e| {
            web_sys::console::error_1(&format!("DaemonSet Lab: cannot encode a message: {e}").into())
        })
        .ok()?;
    let message = js_sys::Array::new();
    message.push(&js_sys::Uint8Array::from(bytes.as_slice()));
    for text in texts {
        message.push(&text.unwrap_or(JsValue::UNDEFINED));
    }
    Some(message.into())
}

/// A text as it goes beside a message: a JS string (copied in once if the page's Rust code holds it).
fn js_text(text: &EditorText) -> JsValue {
    match text {
        EditorText::Owned(text) => JsValue::from_str(text),
        EditorText::Js(text) => text.into(),
        EditorText::File(file) => file.into(),
        EditorText::Bytes(bytes) => js_sys::Uint8Array::from(bytes.as_slice()).into(),
    }
}

/// A message's value and texts (undefined where none).
fn decode<T: serde::de::DeserializeOwned, const N: usize>(
    data: &JsValue,
) -> Result<(T, [JsValue; N]), String> {
    let message: &js_sys::Array = data.dyn_ref().ok_or("not an array")?;
    let bytes: js_sys::Uint8Array = message.get(0).dyn_into().map_err(|_| "no payload")?;
    let value = postcard::from_bytes(&bytes.to_vec()).map_err(|e| e.to_string())?;
    let texts = std::array::from_fn(|i| message.get(i as u32 + 1));
    Ok((value, texts))
}
