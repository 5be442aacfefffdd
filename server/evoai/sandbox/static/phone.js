// The customer's phone: one conversation with the business (a connected sandbox instance).
"use strict";

const EMOJIS = ["👍", "❤️", "😂", "😮", "😢", "🙏"];
const state = { instance: "", number: "", name: "", lid: false, replyTo: null, version: -1, messages: [] };
const $ = (id) => document.getElementById(id);

function ticks(status) {
  const symbol = status === "PENDING" ? "🕓" : status === "SERVER_ACK" ? "✓" : "✓✓";
  return el("span", { class: "ticks", "data-testid": "message-ticks", "data-status": status, text: symbol });
}

function time(seconds) {
  return new Date(seconds * 1000).toLocaleTimeString("pt-BR", { hour: "2-digit", minute: "2-digit" });
}

function mediaNode(message) {
  if (message.type === "image") return el("img", { src: message.mediaUrl, alt: message.fileName || "imagem" });
  if (message.type === "video") return el("video", { src: message.mediaUrl, controls: true, width: "240" });
  if (message.type === "audio") {
    const audio = el("audio", { src: message.mediaUrl, controls: true, "data-testid": "message-audio" });
    if (message.author === "agent") audio.addEventListener("play", () => played(message.id), { once: true });
    return audio;
  }
  return el("a", { class: "doc", href: message.mediaUrl, download: message.fileName || "arquivo", target: "_blank" },
    "📄", el("span", { text: message.fileName || "documento" }));
}

function bubble(message) {
  const reactions = Object.values(message.reactions || {});
  const node = el("div", {
    class: `bubble ${message.author}${reactions.length ? " has-reactions" : ""}`,
    "data-testid": "message", "data-author": message.author, "data-status": message.status,
    "data-message-id": message.id, "data-type": message.type,
  });
  if (message.quoted) {
    const who = message.quoted.author === "customer" ? "Você" : state.businessName || "Loja";
    node.append(el("div", { class: "quote", "data-testid": "message-quote" },
      el("strong", { text: who }), el("div", { text: message.quoted.text || `[${message.quoted.type}]` })));
  }
  if (message.type !== "text") node.append(mediaNode(message));
  if (message.text) node.append(el("div", { "data-testid": "message-text", text: message.text }));
  const foot = el("div", { class: "foot" });
  if (message.lid) foot.append(el("span", { class: "lid-tag", text: "LID" }));
  foot.append(el("span", { text: time(message.timestamp) }), ticks(message.status));
  node.append(foot);
  if (reactions.length) node.append(el("span", { class: "reactions", "data-testid": "message-reactions", text: reactions.join("") }));
  node.append(el("div", { class: "tools" },
    el("button", { "data-testid": "reply-action", title: "Responder", onclick: () => startReply(message) }, "↩"),
    el("button", { "data-testid": "react-action", title: "Reagir", onclick: () => openPicker(message) }, "☺")));
  return node;
}

function render(chat) {
  state.businessName = chat.instance.profileName;
  $("title").textContent = chat.instance.profileName || chat.instance.name;
  $("avatar").textContent = (chat.instance.profileName || chat.instance.name).slice(0, 1).toUpperCase();
  const online = chat.instance.state === "open";
  $("subtitle").textContent = online ? `${formatNumber(chat.instance.owner)} · online` : STATE_LABEL[chat.instance.state];
  $("subtitle").dataset.state = chat.instance.state;
  $("offline").hidden = online;
  $("offline").textContent = online ? "" : "A instância não está conectada: as mensagens não serão entregues.";
  const list = $("messages");
  const atBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 80;
  state.messages = chat.messages;
  list.replaceChildren(...chat.messages.map(bubble));
  if (!chat.messages.length) {
    list.append(el("div", { class: "day-empty", "data-testid": "empty-chat" },
      "Mande uma mensagem para a loja. As respostas do atendente (ou da IA) aparecem aqui."));
  }
  if (atBottom || state.version === -1) list.scrollTop = list.scrollHeight;
}

async function poll() {
  if (!state.instance) return;
  try {
    const path = `/sandbox/instances/${encodeURIComponent(state.instance)}/chats/${state.number}`;
    const chat = await api("GET", path);
    if (chat.version !== state.version) {
      render(chat);
      state.version = chat.version;
    }
    markRead();
  } catch (error) {
    $("chat-error").textContent = error.message;
  }
}

function markRead() {
  // Reading happens only while the customer is looking at the chat, like on a real phone.
  if (document.visibilityState !== "visible") return;
  const unread = state.messages.some((m) => m.author === "agent" && !["READ", "PLAYED"].includes(m.status));
  if (unread) api("POST", `/sandbox/instances/${encodeURIComponent(state.instance)}/chats/${state.number}/read`, {}).catch(() => {});
}

function played(id) {
  api("POST", `/sandbox/instances/${encodeURIComponent(state.instance)}/messages/${id}/played`, {}).catch(() => {});
}

async function send(extra) {
  $("chat-error").textContent = "";
  const body = { from: state.number, name: state.name, lid: state.lid, ...extra };
  if (state.replyTo && !extra.reaction) body.quotedId = state.replyTo.id;
  try {
    await api("POST", `/sandbox/instances/${encodeURIComponent(state.instance)}/customer-messages`, body);
    cancelReply();
    await poll();
    $("messages").scrollTop = $("messages").scrollHeight;
    return true;
  } catch (error) {
    $("chat-error").textContent = error.message;
    return false;
  }
}

async function sendText() {
  const text = $("text").value.trim();
  if (!text) return;
  $("send").disabled = true;
  if (await send({ text })) $("text").value = "";
  $("send").disabled = false;
  $("text").focus();
}

function readFile(file) {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).split(",", 2)[1] || "");
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(file);
  });
}

async function sendFile(file) {
  const base64 = await readFile(file);
  const caption = $("text").value.trim();
  const media = { base64, mimetype: file.type || undefined, fileName: file.name, ptt: $("voice").checked };
  if (await send({ media, text: caption || undefined })) $("text").value = "";
}

function startReply(message) {
  state.replyTo = message;
  $("reply").hidden = false;
  $("reply-text").textContent = `Respondendo: ${message.text || "[" + message.type + "]"}`;
  $("text").focus();
}

function cancelReply() {
  state.replyTo = null;
  $("reply").hidden = true;
}

function openPicker(message) {
  const picker = $("picker");
  const current = (message.reactions || {}).customer;
  picker.replaceChildren(...EMOJIS.map((emoji) => el("button", {
    "data-testid": "reaction-option", "data-emoji": emoji,
    onclick: () => { picker.hidden = true; send({ reaction: { id: message.id, emoji: emoji === current ? "" : emoji } }); },
  }, emoji)), el("button", { title: "Fechar", onclick: () => { picker.hidden = true; } }, "✕"));
  picker.hidden = false;
}

async function loadInstances() {
  const data = await api("GET", "/sandbox/instances");
  const connected = data.instances.filter((i) => i.state === "open");
  const select = $("instance");
  select.replaceChildren(...connected.map((i) => el("option", { value: i.name, text: `${i.name} (${i.profileName || formatNumber(i.owner)})` })));
  const wanted = decodeURIComponent(location.pathname.split("/")[2] || "") || localStorage.getItem("sandbox.instance");
  if (wanted && connected.some((i) => i.name === wanted)) select.value = wanted;
  if (!connected.length) select.append(el("option", { value: "", text: "nenhuma instância conectada" }));
  const params = new URLSearchParams(location.search);
  $("name").value = params.get("name") || localStorage.getItem("sandbox.name") || data.defaults.name;
  $("number").value = params.get("number") || localStorage.getItem("sandbox.number") || data.defaults.number;
  $("lid").checked = params.get("lid") === "1" || localStorage.getItem("sandbox.lid") === "1";
}

function start() {
  const number = $("number").value.replace(/\D/g, "");
  if (!$("instance").value) { $("setup-error").textContent = "Conecte uma instância primeiro."; return; }
  if (number.length < 10 || number.length > 15) { $("setup-error").textContent = "O número precisa ter de 10 a 15 dígitos."; return; }
  Object.assign(state, { instance: $("instance").value, number, name: $("name").value.trim() || "Cliente Sandbox",
    lid: $("lid").checked, version: -1 });
  localStorage.setItem("sandbox.instance", state.instance);
  localStorage.setItem("sandbox.name", state.name);
  localStorage.setItem("sandbox.number", number);
  localStorage.setItem("sandbox.lid", state.lid ? "1" : "0");
  $("setup").hidden = true;
  $("messages").hidden = false;
  $("composer").hidden = false;
  $("settings").hidden = false;
  poll();
  $("text").focus();
}

$("start").addEventListener("click", start);
$("settings").addEventListener("click", () => {
  state.instance = "";
  $("setup").hidden = false;
  $("messages").hidden = true;
  $("composer").hidden = true;
  $("offline").hidden = true;
  loadInstances();
});
$("send").addEventListener("click", sendText);
$("text").addEventListener("keydown", (event) => {
  if (event.key === "Enter" && !event.shiftKey) { event.preventDefault(); sendText(); }
});
$("attach").addEventListener("click", () => $("file").click());
$("file").addEventListener("change", () => {
  const file = $("file").files[0];
  if (file) sendFile(file);
  $("file").value = "";
});
$("reply-cancel").addEventListener("click", cancelReply);
document.addEventListener("visibilitychange", markRead);

loadInstances()
  .then(() => {
    // /phone/<instance>?number=… opens the conversation directly (links from the instances page, tests).
    const params = new URLSearchParams(location.search);
    if (location.pathname.split("/")[2] && params.get("number") && $("instance").value) start();
  })
  .catch((error) => { $("setup-error").textContent = error.message; });
setInterval(poll, 1000);
