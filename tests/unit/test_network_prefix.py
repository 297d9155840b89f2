"""Network prefixes for the posting limit: /24 for IPv4, /64 for IPv6, mapped IPv4 as IPv4."""

import pytest

from service.posting_limits import network_prefix


@pytest.mark.parametrize("address, prefix", [
    ("192.0.2.17", "192.0.2.0/24"),
    ("192.0.2.254", "192.0.2.0/24"),
    ("198.51.100.1", "198.51.100.0/24"),
    ("2001:db8:1:2:aaaa::1", "2001:db8:1:2::/64"),
    ("2001:DB8:1:2:ffff:ffff:ffff:ffff", "2001:db8:1:2::/64"),
    ("::ffff:192.0.2.9", "192.0.2.0/24"),
    (" 10.1.2.3 ", "10.1.2.0/24"),
    ("127.0.0.1", "127.0.0.0/24"),
    ("not-an-address", "not-an-address"),
])
def test_network_prefix(address, prefix):
    assert network_prefix(address) == prefix


def test_neighbours_share_a_prefix_and_the_next_block_does_not():
    assert network_prefix("203.0.113.1") == network_prefix("203.0.113.200") != network_prefix("203.0.114.1")
    assert network_prefix("2001:db8::1") == network_prefix("2001:db8::ffff:1") != network_prefix("2001:db8:0:1::1")
