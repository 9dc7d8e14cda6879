// The corpus vocabulary: coins with their KRW prices, other exchanges' error bodies (Binance,
// Upbit), Coinone API paths, user agents and transport errors, from which the generator's lines
// are made.
#pragma once
#include <cstdint>
#include <string_view>

namespace corpus {

using namespace std::string_view_literals;

struct Coin {
  std::string_view sym;  // upper case
  std::string_view low;  // lower case
  uint64_t price;        // KRW
};
inline constexpr Coin kCoins[] = {
    {"BTC", "btc", 131250000}, {"ETH", "eth", 4812000}, {"XRP", "xrp", 3215},
    {"SOL", "sol", 352000},    {"DOGE", "doge", 612},   {"ADA", "ada", 1450},
    {"TRX", "trx", 382},       {"LINK", "link", 34500}, {"USDT", "usdt", 1452},
};

struct OtherError {
  std::string_view exchange;
  std::string_view a;  // Binance: code; Upbit: name
  std::string_view b;  // message
};
inline constexpr OtherError kBinanceErrors[] = {
    {"binance", "-2010", "Account has insufficient balance for requested action."},
    {"binance", "-1021", "Timestamp for this request is outside of the recvWindow."},
    {"binance", "-1003", "Too many requests; current limit is 1200 requests per minute."},
    {"binance", "-2011", "Unknown order sent."},
    {"binance", "-1013", "Filter failure: LOT_SIZE"},
};
inline constexpr OtherError kUpbitErrors[] = {
    {"upbit", "insufficient_funds_bid", "주문가능한 금액(KRW)이 부족합니다."},
    {"upbit", "under_min_total_bid", "최소주문금액 이상으로 주문해주세요"},
    {"upbit", "invalid_query_payload", "JWT 토큰의 쿼리 정보가 잘못되었습니다."},
    {"upbit", "validation_error", "잘못된 API 요청입니다."},
};

inline constexpr std::string_view kOrderPaths[] = {
    "/v2.1/order"sv, "/v2.1/order/cancel"sv, "/v2.1/account/balance/all"sv,
    "/v2.1/order/active_orders"sv, "/v2.1/order/detail"sv};
inline constexpr std::string_view kUserAgents[] = {"python-requests/2.31.0"sv, "aiohttp/3.9.1"sv,
                                                   "Prometheus/2.45.0"sv, "curl/7.88.1"sv,
                                                   "kube-probe/1.28"sv};
inline constexpr std::string_view kWsErrors[] = {
    "connection reset by peer"sv, "received 1006 (connection closed abnormally)"sv,
    "ping timeout after 20s"sv, "SSL: UNEXPECTED_EOF_WHILE_READING"sv};
inline constexpr std::string_view kHttpErrors[] = {
    "ReadTimeout(\"HTTPSConnectionPool(host='api.coinone.co.kr', port=443): Read timed out.\")"sv,
    "ConnectionError('Connection aborted.', RemoteDisconnected('closed connection'))"sv,
    "ServerDisconnectedError('Server disconnected')"sv};
inline constexpr std::string_view kGoErrors[] = {"context deadline exceeded"sv,
                                                 "read: connection reset by peer"sv,
                                                 "unexpected EOF"sv, "i/o timeout"sv};

}  // namespace corpus
