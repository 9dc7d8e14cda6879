// Exchange evidence: whether a line names Coinone, or belongs to another exchange.
//
// Bots built on ccxt trade on several exchanges and log every exchange's errors in one file;
// another exchange's body can carry an error field whose number is in Coinone's table. The
// matcher drops the annotation of a line with evidence of another exchange and none of
// Coinone. This module finds the evidence (README, "What counts", says the same for users):
//
// Coinone: the word `coinone` in any case, not preceded by a letter or digit and not followed
//   by a lower-case letter or digit: `coinone`, `CoinoneError`, `coinone_client`,
//   `api.coinone.co.kr`, `exchange=coinone` count; `mycoinone`, `coinones` do not.
// Another exchange, by ccxt's ids (exchange_ids.h):
//   - ccxt's message form `ID {...}` or `ID [...]`: an id, one space, then `{` or `[`. The id
//     starts a word (the byte before it is not a letter, digit, `_`, `-`, `.`, `/` or `@`); an
//     id that is an ordinary word (delta, gate, woo) must start the line or follow a quote,
//     `=`, or `: `;
//   - a host: an id as the label before a top-level domain of kTopLevelDomains (`kraken.com`,
//     `api.binance.com`, `api.korbit.co.kr`), not inside a longer name;
//   - a field naming the exchange: `exchange`, `exchange_id`, `exchangeId`, `exchange_name`
//     (any case style, not part of a longer name), with an error field's separator, whose
//     value is an id in any case (`"exchange":"Binance"`, `exchange=kraken`).
//
// Cost: one vector pass over the line for the bytes where evidence can start, and a sketch of
// the ids (ExchangeIds::may_hold) before any lookup; the matcher asks only about lines that
// carry a code it would show and do not name Coinone. Pure functions: no state, thread-safe.
#pragma once
#include <string_view>

#include "coinone_annotate/match/exchange_ids.h"

namespace coinone {

// True when text holds the word coinone (see above).
bool mentions_coinone(std::string_view text);

// True when text holds evidence of an exchange of `ids` (coinone is never one of them).
bool names_other_exchange(std::string_view text, const ExchangeIds& ids);

}  // namespace coinone
