/// Stopwords: function words that carry no evidence of a role, left out of term
/// statistics and bigrams (phrases in the lexicon may still contain them).
package enum Stopwords {
  /// English function words (articles, pronouns, auxiliaries, prepositions, conjunctions).
  package static let english: Set<String> = [
    "a", "about", "above", "across", "after", "again", "against", "all", "also", "am", "an", "and",
    "any", "are", "aren't", "as", "at", "be", "because", "been", "before", "being", "below",
    "between", "both", "but", "by", "can", "can't", "cannot", "could", "couldn't", "did",
    "didn't", "do", "does", "doesn't", "doing", "don't", "down", "during", "each", "either", "etc",
    "every", "few", "for", "from", "further", "had", "hadn't", "has", "hasn't", "have", "haven't",
    "having", "he", "he'd", "he'll", "her", "here", "hers", "herself", "him", "himself", "his",
    "how", "i", "i'd", "i'll", "i'm", "i've", "if", "in", "into", "is", "isn't", "it", "it's",
    "its", "itself", "just", "let's", "may", "me", "might", "more", "most", "must", "mustn't",
    "my", "myself", "no", "nor", "not", "of", "off", "on", "once", "only", "or", "other", "our",
    "ours", "ourselves", "out", "over", "own", "per", "same", "shall", "she", "she'd", "she'll",
    "should", "shouldn't", "so", "some", "such", "than", "that", "that's", "the", "their",
    "theirs", "them", "themselves", "then", "there", "there's", "these", "they", "they'd",
    "they'll", "they're", "they've", "this", "those", "through", "to", "too", "under", "until",
    "up", "upon", "us", "very", "via", "was", "wasn't", "we", "we'd", "we'll", "we're", "we've",
    "were", "weren't", "what", "what's", "when", "where", "which", "while", "who", "whom", "whose",
    "why", "will", "with", "within", "won't", "would", "wouldn't", "you", "you'd", "you'll",
    "you're", "you've", "your", "yours", "yourself", "yourselves", "able", "well", "like",
    "including", "e.g", "i.e", "without", "among", "s", "t",
  ]

  /// Function words of Spanish, Portuguese, French and German (diacritics folded, as tokens
  /// are), so postings in those languages do not fill term lists with "de", "la", "und".
  package static let european: Set<String> = [
    "de", "la", "el", "los", "las", "del", "en", "con", "que", "por", "para", "una", "un", "y", "o",
    "al", "lo", "se", "su", "sus", "es", "como", "mas", "sin", "sobre", "entre", "e", "da", "do",
    "das", "dos", "em", "na", "no", "nos", "uma", "com", "ou", "le", "les", "des", "du", "et",
    "est", "pour", "dans", "sur", "avec", "au", "aux", "ce", "cette", "qui", "vous", "nous",
    "der", "die", "das", "und", "mit", "fur", "von", "zu", "den", "dem", "ein", "eine", "ist",
    "im", "auf", "sie", "wir", "oder", "bei", "als", "auch", "nicht",
  ]

  /// English and European stopwords in one set: one lookup per word.
  static let all = english.union(european)

  /// Whether `word` is a stopword.
  package static func contains(_ word: String) -> Bool { all.contains(word) }
}
