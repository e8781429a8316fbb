//! Closed sets of values named by one string each (publication types, engines, page statuses).
//!
//! Each such enum writes its names once, in an `as_str` method, and lists its values in `ALL`.
//! [`named!`] derives the rest from those two: `Display`, serde (so JSON and the index use the
//! same strings as the command line and the API) and, unless the type brings its own,
//! `FromStr` with an [`UnknownName`] error.

/// Error for a string that names no value of a closed set.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown {what} `{value}` (expected one of: {expected})")]
pub struct UnknownName {
    /// What kind of value was expected, e.g. `engine`.
    pub what: &'static str,
    /// The string given.
    pub value: String,
    /// The accepted names, comma-separated.
    pub expected: String,
}

impl UnknownName {
    /// The error for `value`, listing `names`.
    pub fn new<'n>(
        what: &'static str,
        value: &str,
        names: impl IntoIterator<Item = &'n str>,
    ) -> Self {
        UnknownName {
            what,
            value: value.to_string(),
            expected: names.into_iter().collect::<Vec<_>>().join(", "),
        }
    }
}

/// Implements `Display`, `Serialize` and `Deserialize` for an enum with `ALL` and `as_str`;
/// with a second argument (what the value is, e.g. `"engine"`), `FromStr` too.
macro_rules! named {
    ($ty:ident, $what:literal) => {
        impl std::str::FromStr for $ty {
            type Err = $crate::names::UnknownName;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                $ty::ALL
                    .into_iter()
                    .find(|v| v.as_str() == s)
                    .ok_or_else(|| {
                        $crate::names::UnknownName::new(
                            $what,
                            s,
                            $ty::ALL.into_iter().map($ty::as_str),
                        )
                    })
            }
        }
        $crate::names::named!($ty);
    };
    ($ty:ident) => {
        impl std::fmt::Display for $ty {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl serde::Serialize for $ty {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $ty {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                struct Name;
                impl serde::de::Visitor<'_> for Name {
                    type Value = $ty;
                    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                        f.write_str(concat!("the name of a ", stringify!($ty)))
                    }
                    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<$ty, E> {
                        v.parse().map_err(E::custom)
                    }
                }
                d.deserialize_str(Name)
            }
        }
    };
}

pub(crate) use named;
