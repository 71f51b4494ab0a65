//! Text relevance between what organisations offer and what they request: a small tokenizer
//! and an Okapi BM25 index (Robertson & Zaragoza, "The Probabilistic Relevance Framework: BM25
//! and Beyond", 2009) whose scores keep the terms that matched, so a match can say why.

use std::collections::HashMap;

/// BM25 term-frequency saturation.
const K1: f64 = 1.2;
/// BM25 length normalisation.
const B: f64 = 0.75;

/// Common English words that carry no meaning for matching.
const STOPWORDS: &[&str] = &[
    "a",
    "about",
    "all",
    "also",
    "an",
    "and",
    "any",
    "are",
    "as",
    "at",
    "be",
    "been",
    "but",
    "by",
    "can",
    "do",
    "for",
    "from",
    "has",
    "have",
    "in",
    "into",
    "is",
    "it",
    "its",
    "more",
    "most",
    "new",
    "no",
    "not",
    "of",
    "on",
    "or",
    "other",
    "our",
    "out",
    "over",
    "such",
    "than",
    "that",
    "the",
    "their",
    "them",
    "these",
    "they",
    "this",
    "those",
    "to",
    "up",
    "us",
    "we",
    "what",
    "which",
    "who",
    "will",
    "with",
    "you",
    "your",
    "looking",
    "look",
    "seek",
    "seeking",
    "need",
    "needs",
    "want",
    "wants",
    "offer",
    "offers",
    "offering",
    "provide",
    "provides",
    "providing",
    "partner",
    "partners",
    "company",
    "companies",
    "service",
    "services",
    "solution",
    "solutions",
    "based",
    "including",
    "etc",
    "e",
    "g",
    "i",
];

/// Splits text into lower-case word stems: letters and digits only, stop words dropped, and a
/// light English suffix stripping (plural `-s/-es/-ies`, `-ing`, `-ed`) so that "machining" and
/// "machine", "sensors" and "sensor" meet. Deliberately simple: offers and requests are short,
/// and a stem a user can read ("machin") is shown back as the most frequent surface word.
pub fn tokenize(text: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for word in text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        let lower = word.to_lowercase();
        if lower.chars().count() < 2 || STOPWORDS.contains(&lower.as_str()) {
            continue;
        }
        out.push((stem(&lower), lower));
    }
    out
}

/// Light suffix stripping; keeps at least four characters of the word.
pub fn stem(word: &str) -> String {
    if !word.is_ascii() || word.chars().all(|c| c.is_ascii_digit()) {
        return word.to_string();
    }
    let strip = |w: &str, suffix: &str, repl: &str| -> Option<String> {
        w.strip_suffix(suffix)
            .filter(|rest| rest.len() >= 4)
            .map(|rest| format!("{rest}{repl}"))
    };
    let w = word;
    let w = strip(w, "ies", "y")
        .or_else(|| strip(w, "sses", "ss"))
        .or_else(|| {
            if w.ends_with("ss") || w.ends_with("us") || w.ends_with("is") {
                None
            } else {
                strip(w, "s", "")
            }
        })
        .unwrap_or_else(|| w.to_string());
    let w = strip(&w, "ing", "")
        .or_else(|| strip(&w, "ed", ""))
        .unwrap_or(w);
    // "machine" and "machin(ing)" meet: drop a final silent e.
    match w.strip_suffix('e') {
        Some(rest) if rest.len() >= 4 => rest.to_string(),
        _ => w,
    }
}

/// A field of an organisation's text, with the weight its words get in the index.
#[derive(Debug, Clone, Copy)]
pub struct Field<'a> {
    pub text: &'a str,
    pub weight: f64,
}

/// One document's bag of stems with field-weighted term frequencies (a simple BM25F: field
/// weights scale the term frequency before saturation).
#[derive(Debug, Clone, Default)]
struct Doc {
    terms: Vec<(u32, f64)>,
    length: f64,
}

/// A BM25 index over one text per organisation (documents are numbered as the organisations
/// of the context).
#[derive(Debug, Clone, Default)]
pub struct TextIndex {
    vocab: HashMap<String, u32>,
    /// Most frequent surface word of each stem, to show back to users.
    surface: Vec<String>,
    surface_counts: Vec<HashMap<String, u32>>,
    postings: Vec<Vec<(u32, f64)>>,
    docs: Vec<Doc>,
    avg_length: f64,
    /// Number of documents with any text.
    n_nonempty: usize,
}

/// A scored document with the query terms it matched, best contribution first.
#[derive(Debug, Clone, PartialEq)]
pub struct TextHit {
    pub doc: u32,
    pub score: f64,
    /// Score relative to a document holding every query term once at average length, capped
    /// at 1: roughly the share of the query (by idf) the document covers.
    pub fit: f64,
    pub terms: Vec<u32>,
}

/// A parsed query: stems known to the index with their weights, and the score of a reference
/// document holding every query term once at average length (fit 1).
#[derive(Debug, Clone, Default)]
pub struct Query {
    terms: Vec<(u32, f64)>,
    max_score: f64,
}

impl Query {
    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }
}

impl TextIndex {
    /// Builds the index; `docs[i]` are the weighted fields of organisation `i`.
    pub fn build(docs: &[Vec<Field<'_>>]) -> Self {
        let mut index = TextIndex::default();
        for fields in docs {
            let mut tf: HashMap<u32, f64> = HashMap::new();
            let mut length = 0.0;
            for field in fields {
                for (stem, surface) in tokenize(field.text) {
                    let next = index.vocab.len() as u32;
                    let id = *index.vocab.entry(stem).or_insert(next);
                    if id == next {
                        index.surface.push(surface.clone());
                        index.surface_counts.push(HashMap::new());
                        index.postings.push(Vec::new());
                    }
                    *index.surface_counts[id as usize]
                        .entry(surface)
                        .or_default() += 1;
                    *tf.entry(id).or_default() += field.weight;
                    length += field.weight;
                }
            }
            let mut terms: Vec<(u32, f64)> = tf.into_iter().collect();
            terms.sort_unstable_by_key(|t| t.0);
            let doc_id = index.docs.len() as u32;
            for &(t, f) in &terms {
                index.postings[t as usize].push((doc_id, f));
            }
            if length > 0.0 {
                index.n_nonempty += 1;
            }
            index.docs.push(Doc { terms, length });
        }
        for (id, counts) in index.surface_counts.iter().enumerate() {
            if let Some((word, _)) = counts
                .iter()
                .max_by(|a, b| a.1.cmp(b.1).then_with(|| b.0.cmp(a.0)))
            {
                index.surface[id] = word.clone();
            }
        }
        let total: f64 = index.docs.iter().map(|d| d.length).sum();
        index.avg_length = if index.n_nonempty > 0 {
            total / index.n_nonempty as f64
        } else {
            1.0
        };
        index
    }

    /// Number of documents.
    pub fn len(&self) -> usize {
        self.docs.len()
    }

    pub fn is_empty(&self) -> bool {
        self.docs.is_empty()
    }

    /// Inverse document frequency (the BM25 form, floored at a small positive value so a term
    /// present everywhere still counts a little).
    fn idf(&self, term: u32) -> f64 {
        let n = self.n_nonempty as f64;
        let df = self.postings[term as usize].len() as f64;
        ((n - df + 0.5) / (df + 0.5) + 1.0).ln().max(0.01)
    }

    /// The readable word for a stem id.
    pub fn word(&self, term: u32) -> &str {
        &self.surface[term as usize]
    }

    /// Parses free text into a query over this index; words the index does not know are
    /// dropped (they cannot match).
    pub fn query(&self, fields: &[Field<'_>]) -> Query {
        let mut weights: HashMap<u32, f64> = HashMap::new();
        for field in fields {
            for (stem, _) in tokenize(field.text) {
                if let Some(&id) = self.vocab.get(&stem) {
                    // Repeating a word in a query does not make it count more than once a
                    // field; the field weight says how much it matters.
                    let w = weights.entry(id).or_default();
                    *w = w.max(field.weight);
                }
            }
        }
        let mut terms: Vec<(u32, f64)> = weights.into_iter().collect();
        terms.sort_unstable_by_key(|t| t.0);
        // With tf = 1 at average length the BM25 term score is exactly idf.
        let max_score = terms.iter().map(|&(t, w)| w * self.idf(t)).sum();
        Query { terms, max_score }
    }

    /// BM25 contribution of a term with frequency `tf` in a document of length `length`.
    fn term_score(&self, term: u32, tf: f64, length: f64) -> f64 {
        let norm = K1 * (1.0 - B + B * length / self.avg_length);
        self.idf(term) * tf * (K1 + 1.0) / (tf + norm)
    }

    /// Every document matching the query (each at most once), unsorted.
    pub fn search(&self, query: &Query) -> Vec<TextHit> {
        let mut acc: HashMap<u32, (f64, Vec<(u32, f64)>)> = HashMap::new();
        for &(t, qw) in &query.terms {
            for &(doc, tf) in &self.postings[t as usize] {
                let s = qw * self.term_score(t, tf, self.docs[doc as usize].length);
                let e = acc.entry(doc).or_default();
                e.0 += s;
                e.1.push((t, s));
            }
        }
        acc.into_iter()
            .map(|(doc, (score, terms))| self.hit(query, doc, score, terms))
            .collect()
    }

    /// The `k` best documents for the query (all that match when `k` is 0), best first (ties
    /// by document number). `acc` and `touched` are caller-owned buffers reused across calls
    /// (`acc` is grown to the number of documents and left all zero), so a scan over many
    /// queries allocates nothing per matching document; only the kept documents get a full
    /// [`TextHit`] with their matched terms.
    pub fn search_top(
        &self,
        query: &Query,
        k: usize,
        acc: &mut Vec<f64>,
        touched: &mut Vec<u32>,
    ) -> Vec<TextHit> {
        if acc.len() < self.docs.len() {
            acc.resize(self.docs.len(), 0.0);
        }
        for &(t, qw) in &query.terms {
            let idf = self.idf(t);
            for &(doc, tf) in &self.postings[t as usize] {
                let norm = K1 * (1.0 - B + B * self.docs[doc as usize].length / self.avg_length);
                // Positive: idf is floored above 0 and query weights are field weights > 0.
                let s = qw * idf * tf * (K1 + 1.0) / (tf + norm);
                let slot = &mut acc[doc as usize];
                if *slot == 0.0 {
                    touched.push(doc);
                }
                *slot += s;
            }
        }
        let mut scored: Vec<(u32, f64)> = touched.iter().map(|&d| (d, acc[d as usize])).collect();
        for &d in touched.iter() {
            acc[d as usize] = 0.0;
        }
        touched.clear();
        let cmp = |a: &(u32, f64), b: &(u32, f64)| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0));
        if k > 0 && scored.len() > k {
            scored.select_nth_unstable_by(k - 1, cmp);
            scored.truncate(k);
        }
        scored.sort_by(cmp);
        scored
            .into_iter()
            .map(|(doc, _)| self.score(query, doc))
            .collect()
    }

    /// Scores one document against a query (0 when nothing matches).
    pub fn score(&self, query: &Query, doc: u32) -> TextHit {
        let d = &self.docs[doc as usize];
        let mut score = 0.0;
        let mut terms = Vec::new();
        // Both lists are sorted by term id: merge.
        let (mut i, mut j) = (0, 0);
        while i < query.terms.len() && j < d.terms.len() {
            let (qt, qw) = query.terms[i];
            let (dt, tf) = d.terms[j];
            match qt.cmp(&dt) {
                std::cmp::Ordering::Less => i += 1,
                std::cmp::Ordering::Greater => j += 1,
                std::cmp::Ordering::Equal => {
                    let s = qw * self.term_score(qt, tf, d.length);
                    score += s;
                    terms.push((qt, s));
                    i += 1;
                    j += 1;
                }
            }
        }
        self.hit(query, doc, score, terms)
    }

    fn hit(&self, query: &Query, doc: u32, score: f64, mut terms: Vec<(u32, f64)>) -> TextHit {
        terms.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        let fit = if query.max_score > 0.0 {
            (score / query.max_score).clamp(0.0, 1.0)
        } else {
            0.0
        };
        TextHit {
            doc,
            score,
            fit,
            terms: terms.into_iter().map(|t| t.0).collect(),
        }
    }

    /// The stem ids of a text, for finding which passage of an offer holds the matched terms.
    pub fn stems_of(&self, text: &str) -> Vec<u32> {
        tokenize(text)
            .into_iter()
            .filter_map(|(s, _)| self.vocab.get(&s).copied())
            .collect()
    }
}

/// Splits an offer or request text into its items (separated by `;`, `.`, `,`, new lines or
/// bullet marks) and returns the item holding the most of `terms`, trimmed; used to quote "the
/// offer it answers". (A decimal point splits a number; offers rarely hold one.)
pub fn best_passage(index: &TextIndex, text: &str, terms: &[u32]) -> Option<String> {
    text.split(['\n', ';', '.', '•', ','])
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|p| {
            let stems = index.stems_of(p);
            let hits = terms.iter().filter(|t| stems.contains(t)).count();
            (hits, p)
        })
        .filter(|(hits, _)| *hits > 0)
        .max_by(|a, b| a.0.cmp(&b.0).then(b.1.len().cmp(&a.1.len())))
        .map(|(_, p)| p.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stems_meet() {
        assert_eq!(stem("machining"), stem("machine"));
        assert_eq!(stem("sensors"), stem("sensor"));
        assert_eq!(stem("batteries"), "battery");
        assert_eq!(stem("process"), "process");
        assert_eq!(stem("2024"), "2024");
    }

    #[test]
    fn bm25_prefers_rare_terms_and_reports_them() {
        let texts = [
            "precision machining of aluminium parts",
            "software development and cloud hosting",
            "machining and welding",
            "",
        ];
        let docs: Vec<Vec<Field>> = texts
            .iter()
            .map(|t| {
                vec![Field {
                    text: t,
                    weight: 1.0,
                }]
            })
            .collect();
        let index = TextIndex::build(&docs);
        let q = index.query(&[Field {
            text: "we need aluminium machining",
            weight: 1.0,
        }]);
        let mut hits = index.search(&q);
        hits.sort_by(|a, b| b.score.total_cmp(&a.score));
        assert_eq!(hits.len(), 2);
        assert_eq!(hits[0].doc, 0);
        let words: Vec<&str> = hits[0].terms.iter().map(|&t| index.word(t)).collect();
        assert!(words.contains(&"aluminium") && words.contains(&"machining"));
        assert!(hits[0].fit > hits[1].fit && hits[0].fit <= 1.0);
        // The best k agree with the full search, best first, and leave the buffers clean.
        let (mut acc, mut touched) = (Vec::new(), Vec::new());
        let top = index.search_top(&q, 1, &mut acc, &mut touched);
        assert_eq!(top.len(), 1);
        assert_eq!(top[0].doc, 0);
        assert!((top[0].score - hits[0].score).abs() < 1e-12);
        assert_eq!(top[0].terms.len(), hits[0].terms.len());
        assert!(acc.iter().all(|x| *x == 0.0) && touched.is_empty());
        assert_eq!(index.search_top(&q, 0, &mut acc, &mut touched).len(), 2);
        // Direct scoring agrees with search.
        let direct = index.score(&q, 0);
        assert!((direct.score - hits[0].score).abs() < 1e-12);
        assert_eq!(index.score(&q, 1).score, 0.0);
        assert_eq!(
            best_passage(
                &index,
                "Welding. Aluminium machining; cloud",
                &hits[0].terms
            )
            .as_deref(),
            Some("Aluminium machining")
        );
    }
}
