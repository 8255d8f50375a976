// Reinterpreting the bits of one trivially copyable type as another of the same size (C++20's std::bit_cast).
#pragma once
#include <cstring>
#include <type_traits>

namespace puzzle_sim {

template <typename To, typename From>
inline To bitCast(From value) {
  static_assert(sizeof(To) == sizeof(From) && std::is_trivially_copyable_v<From> && std::is_trivially_copyable_v<To>,
                "bitCast needs two trivially copyable types of one size");
  To result;
  std::memcpy(&result, &value, sizeof result);
  return result;
}

}  // namespace puzzle_sim
