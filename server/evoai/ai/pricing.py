"""What a model call costs, in US dollars per million tokens (OpenAI's list prices, 2026-11).

Unknown models (a local Ollama, a company's fine-tune) cost 0: their tokens are still counted."""

from __future__ import annotations

from decimal import Decimal

# (input, output) per 1,000,000 tokens; the longest matching prefix wins (gpt-4o-mini before gpt-4o).
PRICES: dict[str, tuple[Decimal, Decimal]] = {
    "gpt-4o-mini": (Decimal("0.15"), Decimal("0.60")),
    "gpt-4o": (Decimal("2.50"), Decimal("10.00")),
    "gpt-4.1-nano": (Decimal("0.10"), Decimal("0.40")),
    "gpt-4.1-mini": (Decimal("0.40"), Decimal("1.60")),
    "gpt-4.1": (Decimal("2.00"), Decimal("8.00")),
    "text-embedding-3-small": (Decimal("0.02"), Decimal(0)),
    "text-embedding-3-large": (Decimal("0.13"), Decimal(0)),
}
MILLION = Decimal(1_000_000)


def cost_usd(model: str, prompt_tokens: int, completion_tokens: int) -> Decimal:
    matches = [name for name in PRICES if model.startswith(name)]
    if not matches:
        return Decimal(0)
    price_in, price_out = PRICES[max(matches, key=len)]
    total = (price_in * prompt_tokens + price_out * completion_tokens) / MILLION
    return total.quantize(Decimal("0.000001"))
