//! Exact arithmetic for tallies. Statutory STV rules fix the number of decimal places and say
//! when to truncate (the Scottish rules use five places and always round down); [`Fixed`]
//! does exactly that with integers, never floating point. Everything else (Borda averages,
//! means) uses exact fractions, [`Rational`].

use std::fmt;
use std::iter::Sum;
use std::ops::{Add, AddAssign, Sub, SubAssign};

use num_bigint::BigUint;
use num_traits::{ToPrimitive, Zero};

/// Exact rationals for everything that is not fixed-point: `num_rational::BigRational`.
/// Its `Display` writes an integer as `"4"` and a fraction as `"17/3"`.
pub type Rational = num_rational::BigRational;

/// An exact rational as text: a terminating decimal when there is one (`"2.61"`, `"-3"`),
/// otherwise a fraction (`"17/3"`).
pub fn exact_text(r: &Rational) -> String {
    use num_bigint::BigInt;
    use num_traits::Signed;
    let mut den = r.denom().clone();
    let (two, five, ten) = (BigInt::from(2), BigInt::from(5), BigInt::from(10));
    // The decimal terminates iff the reduced denominator is 2^a·5^b; it then needs max(a, b) places.
    let (mut twos, mut fives) = (0u32, 0u32);
    while (&den % &two).is_zero() {
        den /= &two;
        twos += 1;
    }
    while (&den % &five).is_zero() {
        den /= &five;
        fives += 1;
    }
    if den != BigInt::from(1) {
        return r.to_string();
    }
    let places = twos.max(fives);
    let scaled = (r * Rational::from_integer(ten.pow(places))).to_integer();
    let digits = scaled.abs().to_string();
    let sign = if scaled.is_negative() { "-" } else { "" };
    if places == 0 {
        return format!("{sign}{digits}");
    }
    let width = places as usize + 1;
    let padded = format!("{digits:0>width$}");
    let (whole, frac) = padded.split_at(padded.len() - places as usize);
    format!("{sign}{whole}.{frac}")
}

/// A non-negative fixed-point number with `DP` decimal places, stored as an integer count of
/// 10^-DP units. Scottish STV uses `Fixed<5>`, Meek (PR Foundation reference) `Fixed<9>`.
///
/// Arithmetic never panics and is exact up to the chosen rounding:
/// * `add` saturates at the largest representable value (about 3.4·10^38 units, far beyond any
///   count of real ballots); `sub` saturates at zero. [`Fixed::checked_add`] and
///   [`Fixed::checked_sub`] report those cases instead.
/// * `mul_*` and `div_*` compute the exact product or quotient (widening to big integers when
///   needed), then round to `DP` places: `_trunc` towards zero, `_ceil` upwards.
/// * Dividing by zero gives zero; [`Fixed::checked_div_trunc`] reports it instead.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Fixed<const DP: u32>(u128);

impl<const DP: u32> Fixed<DP> {
    /// 10^DP: the number of units in 1.
    pub const SCALE: u128 = 10u128.pow(DP);

    /// The whole number `n`.
    pub fn from_int(n: u64) -> Self {
        Self(u128::from(n) * Self::SCALE)
    }

    pub fn zero() -> Self {
        Self(0)
    }

    pub fn one() -> Self {
        Self(Self::SCALE)
    }

    /// The number `units`·10^-DP.
    pub fn from_units(units: u128) -> Self {
        Self(units)
    }

    /// The integer count of 10^-DP units.
    pub fn units(&self) -> u128 {
        self.0
    }

    pub fn is_zero(&self) -> bool {
        self.0 == 0
    }

    /// `self + other`, saturating at the largest representable value.
    pub fn add(&self, other: &Self) -> Self {
        Self(self.0.saturating_add(other.0))
    }

    /// `self − other`, saturating at zero.
    pub fn sub(&self, other: &Self) -> Self {
        Self(self.0.saturating_sub(other.0))
    }

    pub fn checked_add(&self, other: &Self) -> Option<Self> {
        self.0.checked_add(other.0).map(Self)
    }

    /// `self − other`, or `None` when the result would be negative.
    pub fn checked_sub(&self, other: &Self) -> Option<Self> {
        self.0.checked_sub(other.0).map(Self)
    }

    /// `self × other`, truncated to `DP` places.
    pub fn mul_trunc(&self, other: &Self) -> Self {
        Self(mul_div(self.0, other.0, Self::SCALE, false))
    }

    /// `self × other`, rounded up to `DP` places.
    pub fn mul_ceil(&self, other: &Self) -> Self {
        Self(mul_div(self.0, other.0, Self::SCALE, true))
    }

    /// `self × n` for a whole number `n` (exact, saturating).
    pub fn mul_int(&self, n: u64) -> Self {
        Self(self.0.saturating_mul(u128::from(n)))
    }

    /// `self ÷ other`, truncated to `DP` places; zero when `other` is zero.
    pub fn div_trunc(&self, other: &Self) -> Self {
        self.checked_div_trunc(other).unwrap_or_default()
    }

    /// `self ÷ other`, rounded up to `DP` places; zero when `other` is zero.
    pub fn div_ceil(&self, other: &Self) -> Self {
        self.checked_div_ceil(other).unwrap_or_default()
    }

    /// `self ÷ other` truncated, or `None` when `other` is zero.
    pub fn checked_div_trunc(&self, other: &Self) -> Option<Self> {
        (other.0 != 0).then(|| Self(mul_div(self.0, Self::SCALE, other.0, false)))
    }

    /// `self ÷ other` rounded up, or `None` when `other` is zero.
    pub fn checked_div_ceil(&self, other: &Self) -> Option<Self> {
        (other.0 != 0).then(|| Self(mul_div(self.0, Self::SCALE, other.0, true)))
    }

    /// `self ÷ n` for a whole number `n`, truncated; zero when `n` is zero.
    pub fn div_int_trunc(&self, n: u64) -> Self {
        if n == 0 {
            Self(0)
        } else {
            Self(self.0 / u128::from(n))
        }
    }

    /// The exact value as a fraction.
    pub fn to_rational(&self) -> Rational {
        Rational::new(BigUint::from(self.0).into(), BigUint::from(Self::SCALE).into())
    }

    /// A non-negative rational truncated to `DP` places (negative values give zero; values too
    /// large saturate).
    pub fn from_rational_trunc(r: &Rational) -> Self {
        Self::from_rational(r, false)
    }

    /// A non-negative rational rounded up to `DP` places.
    pub fn from_rational_ceil(r: &Rational) -> Self {
        Self::from_rational(r, true)
    }

    fn from_rational(r: &Rational, ceil: bool) -> Self {
        let scaled = r * Rational::from_integer(Self::SCALE.into());
        let n = if ceil { scaled.ceil() } else { scaled.floor() };
        let n = n.to_integer();
        if n.sign() == num_bigint::Sign::Minus {
            return Self(0);
        }
        Self(n.to_u128().unwrap_or(u128::MAX))
    }

    /// Reads `"123"`, `"123.4"` or `"123.45000"` (at most `DP` decimal places).
    pub fn parse(text: &str) -> Option<Self> {
        let (whole, frac) = text.split_once('.').unwrap_or((text, ""));
        if whole.is_empty()
            || !whole.bytes().all(|b| b.is_ascii_digit())
            || !frac.bytes().all(|b| b.is_ascii_digit())
            || frac.len() > DP as usize
            || (text.contains('.') && frac.is_empty())
        {
            return None;
        }
        let whole: u128 = whole.parse().ok()?;
        let mut units = whole.checked_mul(Self::SCALE)?;
        if !frac.is_empty() {
            let pad = 10u128.pow(DP - frac.len() as u32);
            units = units.checked_add(frac.parse::<u128>().ok()? * pad)?;
        }
        Some(Self(units))
    }
}

/// `a × b ÷ d` rounded down (or up), exact: widens to big integers only when `a × b` overflows.
fn mul_div(a: u128, b: u128, d: u128, ceil: bool) -> u128 {
    if let Some(p) = a.checked_mul(b) {
        let q = p / d;
        return if ceil && p % d != 0 {
            q.saturating_add(1)
        } else {
            q
        };
    }
    let p = BigUint::from(a) * BigUint::from(b);
    let d = BigUint::from(d);
    let mut q = &p / &d;
    if ceil && !(&p % &d).is_zero() {
        q += 1u32;
    }
    q.to_u128().unwrap_or(u128::MAX)
}

impl<const DP: u32> fmt::Display for Fixed<DP> {
    /// `123.45000`: always `DP` decimal places (none, and no point, when `DP` is 0).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let whole = self.0 / Self::SCALE;
        if DP == 0 {
            return write!(f, "{whole}");
        }
        let frac = self.0 % Self::SCALE;
        write!(f, "{whole}.{frac:0width$}", width = DP as usize)
    }
}

impl<const DP: u32> Add for Fixed<DP> {
    type Output = Self;
    /// Saturating, as [`Fixed::add`].
    fn add(self, other: Self) -> Self {
        Fixed::add(&self, &other)
    }
}

impl<const DP: u32> AddAssign for Fixed<DP> {
    fn add_assign(&mut self, other: Self) {
        *self = Fixed::add(self, &other);
    }
}

impl<const DP: u32> Sub for Fixed<DP> {
    type Output = Self;
    /// Saturating at zero, as [`Fixed::sub`].
    fn sub(self, other: Self) -> Self {
        Fixed::sub(&self, &other)
    }
}

impl<const DP: u32> SubAssign for Fixed<DP> {
    fn sub_assign(&mut self, other: Self) {
        *self = Fixed::sub(self, &other);
    }
}

impl<const DP: u32> Sum for Fixed<DP> {
    fn sum<I: Iterator<Item = Self>>(iter: I) -> Self {
        iter.fold(Self::zero(), |a, b| a + b)
    }
}

impl<'a, const DP: u32> Sum<&'a Fixed<DP>> for Fixed<DP> {
    fn sum<I: Iterator<Item = &'a Self>>(iter: I) -> Self {
        iter.fold(Self::zero(), |a, b| a + *b)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    type F5 = Fixed<5>;

    #[test]
    fn display_shows_every_decimal_place() {
        assert_eq!(F5::from_int(123).to_string(), "123.00000");
        assert_eq!(F5::from_units(12_345_000).to_string(), "123.45000");
        assert_eq!(F5::from_units(7).to_string(), "0.00007");
        assert_eq!(Fixed::<0>::from_int(42).to_string(), "42");
    }

    #[test]
    fn multiplication_truncates_or_rounds_up_as_asked() {
        let third = F5::one().div_trunc(&F5::from_int(3));
        assert_eq!(third.to_string(), "0.33333");
        assert_eq!(F5::one().div_ceil(&F5::from_int(3)).to_string(), "0.33334");
        let x = F5::parse("1.5").unwrap();
        assert_eq!(third.mul_trunc(&x).to_string(), "0.49999");
        assert_eq!(third.mul_ceil(&x).to_string(), "0.50000");
        assert_eq!(
            F5::parse("0.00001")
                .unwrap()
                .mul_ceil(&F5::parse("0.5").unwrap())
                .units(),
            1
        );
        assert_eq!(
            F5::parse("0.00001")
                .unwrap()
                .mul_trunc(&F5::parse("0.5").unwrap())
                .units(),
            0
        );
    }

    #[test]
    fn subtraction_saturates_at_zero_and_division_by_zero_is_zero() {
        assert_eq!(F5::from_int(1) - F5::from_int(2), F5::zero());
        assert_eq!(F5::from_int(1).checked_sub(&F5::from_int(2)), None);
        assert_eq!(F5::from_int(1).div_trunc(&F5::zero()), F5::zero());
        assert_eq!(F5::from_int(1).checked_div_trunc(&F5::zero()), None);
    }

    #[test]
    fn huge_products_widen_instead_of_overflowing() {
        let big = Fixed::<9>::from_int(u64::MAX);
        assert_eq!(big.mul_trunc(&Fixed::<9>::one()), big);
        assert_eq!(big.div_trunc(&big), Fixed::<9>::one());
    }

    #[test]
    fn exact_text_prefers_a_terminating_decimal() {
        let r = |n: i64, d: i64| Rational::new(n.into(), d.into());
        assert_eq!(exact_text(&r(261, 100)), "2.61");
        assert_eq!(exact_text(&r(21, 10)), "2.1");
        assert_eq!(exact_text(&r(1, 40)), "0.025");
        assert_eq!(exact_text(&r(-3, 2)), "-1.5");
        assert_eq!(exact_text(&r(6, 3)), "2");
        assert_eq!(exact_text(&r(17, 3)), "17/3");
    }

    #[test]
    fn parse_rejects_malformed_numbers() {
        for bad in ["", ".5", "1.", "1.123456", "-1", "1e3", "x"] {
            assert_eq!(F5::parse(bad), None, "{bad:?}");
        }
        assert_eq!(F5::parse("4313").unwrap(), F5::from_int(4313));
    }

    #[test]
    fn rationals_convert_with_the_chosen_rounding() {
        let r = Rational::new(2.into(), 3.into());
        assert_eq!(F5::from_rational_trunc(&r).to_string(), "0.66666");
        assert_eq!(F5::from_rational_ceil(&r).to_string(), "0.66667");
        assert_eq!(
            F5::parse("1.5").unwrap().to_rational(),
            Rational::new(3.into(), 2.into())
        );
    }

    proptest! {
        #[test]
        fn display_parses_back(units in any::<u64>()) {
            let x = F5::from_units(u128::from(units));
            prop_assert_eq!(F5::parse(&x.to_string()), Some(x));
        }

        #[test]
        fn truncation_is_at_most_ceiling_and_within_one_unit(a in any::<u64>(), b in 1u64..u64::MAX) {
            let (a, b) = (F5::from_units(a.into()), F5::from_units(b.into()));
            for (t, c) in [(a.mul_trunc(&b), a.mul_ceil(&b)), (a.div_trunc(&b), a.div_ceil(&b))] {
                prop_assert!(t <= c);
                prop_assert!(c.units() - t.units() <= 1);
            }
        }
    }
}
