//! Prefix-preserving address pseudonyms (Crypto-PAn, Xu, Fan, Ammar and
//! Moon, 2002): two addresses that share their first k bits share the first
//! k bits of their pseudonyms, and distinct addresses stay distinct, so
//! subnets, distinct counts and per-address detectors survive redaction.
//!
//! Bit i of the output is bit i of the input flipped by the first bit of
//! AES-128 over the input's first i bits padded with a keyed block, as in
//! the reference implementation (and so compatible with its test vectors).

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use aes::Aes128;
use aes::cipher::{BlockEncrypt, KeyInit, generic_array::GenericArray};

pub struct CryptoPan {
    cipher: Aes128,
    pad: u128,
}

impl CryptoPan {
    /// `key`: 16 bytes of AES key, then 16 bytes the padding block is made of.
    pub fn new(key: &[u8; 32]) -> Self {
        let cipher = Aes128::new(GenericArray::from_slice(&key[..16]));
        let mut pad = GenericArray::clone_from_slice(&key[16..]);
        cipher.encrypt_block(&mut pad);
        CryptoPan { cipher, pad: u128::from_be_bytes(pad.into()) }
    }

    /// The pseudonym of the `bits` leading bits of `addr` (left-aligned in 128 bits).
    fn flip(&self, addr: u128, bits: u32) -> u128 {
        let mut flips = 0u128;
        for pos in 0..bits {
            // the first `pos` bits of the address, the rest from the pad
            let keep = if pos == 0 { 0 } else { u128::MAX << (128 - pos) };
            let block = (addr & keep) | (self.pad & !keep);
            let mut b = GenericArray::from(block.to_be_bytes());
            self.cipher.encrypt_block(&mut b);
            flips = (flips << 1) | u128::from(b[0] >> 7);
        }
        flips
    }

    pub fn v4(&self, a: Ipv4Addr) -> Ipv4Addr {
        let bits = u32::from(a);
        let flips = self.flip(u128::from(bits) << 96, 32) as u32;
        Ipv4Addr::from(bits ^ flips)
    }

    pub fn v6(&self, a: Ipv6Addr) -> Ipv6Addr {
        // an IPv4-mapped address stays mapped, its IPv4 part pseudonymised
        // as that address would be (so `::ffff:10.0.0.1` joins `10.0.0.1`)
        if let Some(v4) = mapped_v4(a) {
            return self.v4(v4).to_ipv6_mapped();
        }
        let bits = u128::from(a);
        Ipv6Addr::from(bits ^ self.flip(bits, 128))
    }

    pub fn ip(&self, a: IpAddr) -> IpAddr {
        match a {
            IpAddr::V4(v4) => IpAddr::V4(self.v4(v4)),
            IpAddr::V6(v6) => IpAddr::V6(self.v6(v6)),
        }
    }
}

/// The IPv4 address of an IPv4-mapped IPv6 address (`::ffff:a.b.c.d`).
pub fn mapped_v4(a: Ipv6Addr) -> Option<Ipv4Addr> {
    match a.segments() {
        [0, 0, 0, 0, 0, 0xffff, _, _] => a.to_ipv4_mapped(),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pan() -> CryptoPan {
        CryptoPan::new(b"32-char-str-for-AES-key-and-pad.")
    }

    #[test]
    fn reference_vectors() {
        // the vectors published with the reference implementation's ports
        let p = pan();
        assert_eq!(p.v4("192.0.2.1".parse().unwrap()).to_string(), "192.0.125.244");
        assert_eq!(p.v6("2001:db8::1".parse().unwrap()).to_string(), "27fe:8bc7:fee:1e:1e1f:f0fe:f0e1:83fd");
    }

    #[test]
    fn prefixes_are_kept_and_addresses_stay_distinct() {
        let p = pan();
        let a = p.v4("10.20.30.40".parse().unwrap()).octets();
        let b = p.v4("10.20.30.41".parse().unwrap()).octets();
        let c = p.v4("10.20.99.1".parse().unwrap()).octets();
        assert_eq!(a[..3], b[..3]);
        assert_ne!(a, b);
        assert_eq!(a[..2], c[..2]);
        assert_ne!(a[2], c[2]);
        let mut seen = std::collections::HashSet::new();
        for i in 0..=255u8 {
            assert!(seen.insert(p.v4(Ipv4Addr::new(192, 168, 1, i))));
        }
        let mapped = p.v6("::ffff:10.20.30.40".parse().unwrap());
        assert_eq!(mapped_v4(mapped), Some(Ipv4Addr::from(a)));
    }
}
