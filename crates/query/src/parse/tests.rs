use super::*;

fn w(text: &str) -> Node {
    Node::Word {
        field: None,
        text: text.into(),
        fuzzy: false,
        prefix: false,
    }
}

#[test]
fn words_phrases_fields_and_operators() {
    let q = parse(
        r#"health "skill wastage" -nurses title:guide (a OR b)"#,
        Mode::Strict,
    )
    .unwrap()
    .unwrap();
    assert_eq!(
        q,
        Node::And(vec![
            w("health"),
            Node::Phrase {
                field: None,
                text: "skill wastage".into(),
                slop: 0,
            },
            Node::Not(Box::new(w("nurses"))),
            Node::Word {
                field: Some(FieldName::Title),
                text: "guide".into(),
                fuzzy: false,
                prefix: false
            },
            Node::Or(vec![w("a"), w("b")]),
        ])
    );
}

#[test]
fn hyphen_inside_a_word_is_not_negation() {
    assert_eq!(
        parse("covid-19", Mode::Strict).unwrap().unwrap(),
        w("covid-19")
    );
    assert_eq!(
        parse("NOT x", Mode::Strict).unwrap().unwrap(),
        Node::Not(Box::new(w("x")))
    );
}

#[test]
fn strict_errors_say_what_and_where() {
    let cases = [
        ("title:(water", "missing `)` for the `(` at position 7"),
        ("(water", "missing `)` for the `(` at position 1"),
        ("water)", "unexpected `)` at position 6"),
        ("\"open phrase", "missing closing quote"),
        ("a OR", "OR at position 3 needs something after it"),
        ("OR a", "needs something before it"),
        ("colour:red", "unknown field `colour`"),
        ("water NOT", "must be followed"),
        ("title:", "needs a word"),
        ("heal*th", "only at the end of a word"),
        ("h*", "at least 2 letters"),
        ("wom?n", "`?` wildcards"),
        ("nurse~2", "`~` after a word"),
        ("nurse^2", "boosts"),
        ("[2005 TO 2010]", "date_from"),
        ("\"mental services\"~", "needs a number of words"),
        ("\"mental services\"~500", "more than 100 words"),
        ("a NEAR/x b", "write NEAR/ and a number"),
        ("NEAR b", "needs a word or a quoted phrase before it"),
        ("a NEAR", "needs a word or a quoted phrase after it"),
        (
            "a NEAR/2 (b OR c)",
            "needs a word or a quoted phrase after it",
        ),
        ("a NEAR b NEAR c", "follows another NEAR"),
        ("heal* NEAR b", "not groups, prefixes"),
        ("title:a NEAR/3 summary:b", "different fields"),
        ("title:(a author:b)", "names another field"),
    ];
    for (q, expected) in cases {
        let e = parse(q, Mode::Strict).expect_err(q);
        assert!(e.message.contains(expected), "{q}: {}", e.message);
    }
}

fn word_in(field: FieldName, text: &str) -> Node {
    Node::Word {
        field: Some(field),
        text: text.into(),
        fuzzy: false,
        prefix: false,
    }
}

#[test]
fn proximity_prefixes_and_field_groups() {
    let q = parse(
        r#""mental services"~3 heal* doctors NEAR/5 refugee"#,
        Mode::Strict,
    )
    .unwrap()
    .unwrap();
    assert_eq!(
        q,
        Node::And(vec![
            Node::Phrase {
                field: None,
                text: "mental services".into(),
                slop: 3
            },
            Node::Word {
                field: None,
                text: "heal".into(),
                fuzzy: false,
                prefix: true
            },
            Node::Near {
                field: None,
                left: "doctors".into(),
                right: "refugee".into(),
                distance: 5
            },
        ])
    );
    // NEAR alone is NEAR/10; a phrase may stand on either side; a field on one side is
    // the proximity's field.
    assert_eq!(
        parse(r#"title:"health visitor" NEAR gp"#, Mode::Strict)
            .unwrap()
            .unwrap(),
        Node::Near {
            field: Some(FieldName::Title),
            left: "health visitor".into(),
            right: "gp".into(),
            distance: DEFAULT_NEAR
        }
    );
    assert_eq!(
        parse("title:(health OR gp) -title:(dental nurse*)", Mode::Strict)
            .unwrap()
            .unwrap(),
        Node::And(vec![
            Node::Or(vec![
                word_in(FieldName::Title, "health"),
                word_in(FieldName::Title, "gp")
            ]),
            Node::Not(Box::new(Node::And(vec![
                word_in(FieldName::Title, "dental"),
                Node::Word {
                    field: Some(FieldName::Title),
                    text: "nurse".into(),
                    fuzzy: false,
                    prefix: true
                },
            ]))),
        ])
    );
    // Punctuation after a word is not syntax: a question mark ends a question.
    assert!(parse("who registers with a GP?", Mode::Strict).is_ok());
    // Website mode reads the same syntax, and never fails on what strict refuses.
    assert!(matches!(
        parse("doctors NEAR/5 refugee", Mode::Website).unwrap(),
        Some(Node::Near { distance: 5, .. })
    ));
    for q in ["heal*th", "wom?n", "nurse~2", "[2005 TO 2010]", "a NEAR"] {
        assert!(parse(q, Mode::Website).unwrap().is_some(), "{q}");
    }
}

#[test]
fn limits_are_enforced() {
    let long = "a ".repeat(MAX_QUERY_CHARS);
    assert!(
        parse(&long, Mode::Strict)
            .unwrap_err()
            .message
            .contains("longer")
    );
    // Website mode reads a pasted text as its words (the search keeps the most
    // informative).
    match parse(&long, Mode::Website).unwrap() {
        Some(Node::And(words)) => assert_eq!(words.len(), MAX_QUERY_CHARS),
        other => panic!("{other:?}"),
    }
    let many = "a ".repeat(MAX_LEAVES + 1);
    assert!(
        parse(&many, Mode::Strict)
            .unwrap_err()
            .message
            .contains("more than")
    );
    let deep = format!("{}x{}", "(".repeat(40), ")".repeat(40));
    assert!(
        parse(&deep, Mode::Strict)
            .unwrap_err()
            .message
            .contains("nested")
    );
}

#[test]
fn website_mode_never_fails_and_marks_the_last_word() {
    let q = parse("title:(water \"oops", Mode::Website)
        .unwrap()
        .unwrap();
    match q {
        Node::And(parts) => {
            assert_eq!(parts.len(), 3);
            assert!(
                matches!(&parts[2], Node::Word { text, prefix: true, fuzzy: true, .. } if text == "oops")
            );
        }
        other => panic!("{other:?}"),
    }
    let q = parse("migrant heal", Mode::Website).unwrap().unwrap();
    let Node::And(parts) = q else { panic!() };
    assert!(matches!(&parts[1], Node::Word { prefix: true, .. }));
    assert!(matches!(
        &parts[0],
        Node::Word {
            prefix: false,
            fuzzy: true,
            ..
        }
    ));
    let q = parse("migrant health ", Mode::Website).unwrap().unwrap();
    let Node::And(parts) = q else { panic!() };
    assert!(matches!(&parts[1], Node::Word { prefix: false, .. }));
    assert_eq!(parse("  ", Mode::Website).unwrap(), None);
    assert_eq!(parse("((( )))", Mode::Website).unwrap(), None);
    assert_eq!(parse("", Mode::Strict).unwrap(), None);
}
