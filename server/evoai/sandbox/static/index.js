// Instances page: state, QR code, simulated scan and phone-side disconnect.
"use strict";

let lastVersion = -1;

function card(instance) {
  const state = instance.state;
  const actions = el("div", { class: "actions" });
  if (state === "connecting") {
    actions.append(el("button", { "data-testid": "scan-button", onclick: () => act(instance.name, "scan") },
      "Escanear (simular)"));
  }
  if (state === "open") {
    actions.append(el("a", { href: `/phone/${encodeURIComponent(instance.name)}`, "data-testid": "open-phone" },
      el("button", {}, "Abrir celular do cliente")));
    actions.append(el("button", { class: "danger", "data-testid": "disconnect-button",
      onclick: () => act(instance.name, "disconnect") }, "Desconectar pelo celular"));
  }
  const hook = instance.webhook;
  return el("article", { class: "card", "data-testid": "instance-card", "data-instance": instance.name, "data-state": state },
    el("h2", {}, el("span", { text: instance.name }),
      el("span", { class: `badge ${state}`, "data-testid": "instance-state", text: STATE_LABEL[state] || state })),
    instance.owner ? el("div", { class: "meta", text: `Número: ${formatNumber(instance.owner)} · ${instance.profileName || ""}` }) : null,
    el("div", { class: "meta", text: hook ? `Webhook: ${hook.url}${hook.byEvents ? " (por evento)" : ""}` : "Sem webhook" }),
    state === "close" ? el("div", { class: "meta", text: "Peça um QR code pelo Evo AI (conectar) para continuar." }) : null,
    state === "connecting" && instance.qr
      ? el("img", { class: "qr", src: instance.qr.base64, alt: "QR code", "data-testid": "instance-qr" }) : null,
    state === "connecting" && instance.qr && instance.qr.pairingCode
      ? el("div", { class: "meta", text: `Código de pareamento: ${instance.qr.pairingCode}` }) : null,
    actions);
}

async function act(name, action) {
  try {
    await api("POST", `/sandbox/instances/${encodeURIComponent(name)}/${action}`, {});
  } catch (error) {
    alert(error.message);
  }
  lastVersion = -1;
  refresh();
}

function deliveryRow(delivery) {
  const good = /^2\d\d$/.test(delivery.outcome);
  return el("tr", {},
    el("td", { text: delivery.event }), el("td", { text: delivery.url }),
    el("td", { class: good ? "ok" : "fail", text: delivery.outcome }), el("td", { text: String(delivery.attempts) }));
}

async function refresh() {
  try {
    const data = await api("GET", "/sandbox/instances");
    document.getElementById("api-url").textContent = data.apiUrl;
    if (data.version !== lastVersion) {
      lastVersion = data.version;
      const list = document.getElementById("instances");
      list.replaceChildren(...data.instances.map(card));
      if (!data.instances.length) {
        list.append(el("div", { class: "empty", "data-testid": "no-instances" },
          "Nenhuma instância ainda. No Evo AI, adicione um provedor Evolution com a URL acima e crie uma instância."));
      }
    }
    const deliveries = await api("GET", "/sandbox/deliveries");
    document.getElementById("deliveries").replaceChildren(...deliveries.map(deliveryRow));
  } catch (error) {
    console.warn(error);
  }
}

refresh();
setInterval(refresh, 1500);
