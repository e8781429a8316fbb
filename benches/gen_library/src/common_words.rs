//! The most frequent English words, most frequent first. They take the top ranks of the
//! Zipf distribution so that generated text reads like English; the rest of the vocabulary
//! comes from the system word list in a fixed shuffled order.

pub const COMMON: &[&str] = &[
    "the", "of", "and", "to", "a", "in", "is", "that", "for", "it", "as", "was", "with", "be",
    "by", "on", "not", "he", "this", "are", "or", "his", "from", "at", "which", "but", "have",
    "an", "they", "you", "were", "her", "she", "there", "one", "all", "we", "their", "been",
    "has", "had", "would", "will", "if", "what", "can", "when", "so", "no", "said", "up",
    "out", "them", "more", "who", "do", "some", "about", "into", "time", "could", "than",
    "other", "its", "only", "new", "these", "two", "may", "any", "like", "then", "first",
    "see", "way", "our", "your", "now", "people", "made", "very", "also", "over", "after",
    "most", "many", "such", "where", "should", "must", "through", "years", "before", "those",
    "between", "being", "under", "work", "while", "both", "each", "well", "much", "how",
    "because", "even", "own", "same", "local", "support", "community", "public", "year",
    "against", "during", "without", "within", "however", "since", "across", "still", "how",
    "make", "take", "help", "need", "used", "part", "group", "number", "service", "services",
    "case", "cases", "children", "family", "families", "right", "rights", "access", "report",
    "national", "government", "policy", "council", "advice", "staff", "members", "further",
    "often", "three", "four", "place", "little", "long", "good", "great", "high", "small",
    "large", "next", "early", "young", "important", "few", "last", "different", "social",
    "working", "health", "london", "order", "per", "cent", "less", "least", "until", "us",
    "him", "me", "my", "did", "does", "done", "get", "got", "give", "given", "know", "known",
];
