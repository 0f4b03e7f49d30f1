//! Prints, for every scheme, the names whose key changes when the name is
//! transliterated with that scheme. Run: cargo run -p qantar-names --example scheme_agreement
use qantar_names::{Scheme, key, transliterate};

fn main() {
    let lexicon = include_str!("../tables/given_names.tsv");
    let mut words: Vec<&str> = lexicon
        .lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| l.split('\t').next())
        .collect();
    words.extend([
        "Байтхан",
        "Оналтаев",
        "Усабаева",
        "Абдрешев",
        "Иргалиев",
        "Игисинов",
        "Байтханова",
        "Оразбеков",
        "Бисаев",
        "Каранеев",
        "Кемелбаев",
        "Коробер",
        "Алпамыс",
        "Ракай",
        "Әуелбекова",
        "Иса",
        "Сыдыкова",
        "Абдраимов",
        "Тоқаев",
        "Назарбаев",
        "Шалабаев",
        "Асылов",
        "Ахметжанов",
        "Таймерденов",
        "Төрегожина",
        "Жаңаөзен",
        "Қызылорда",
        "Талдықорған",
        "Маңғыстау",
        "Ковальская",
        "Щеглова",
        "Разъездной",
        "Воробьёв",
        "Ильин",
        "Мейерхольд",
        "Серікқызы",
        "Қайратұлы",
        "Кайратович",
        "Сергеевна",
        "Нурлыбаевич",
        "Юрьев",
        "Подъячев",
        "Цой",
        "Пак",
        "Ли",
        "Ким",
        "Чингисов",
        "Майя",
        "Гайа",
        "Ёлкин",
    ]);
    for scheme in Scheme::ALL {
        let mut bad = Vec::new();
        for w in &words {
            let t = transliterate(w, scheme);
            if key(&t) != key(w) {
                bad.push(format!("{w}→{t} ({} vs {})", key(&t), key(w)));
            }
        }
        println!(
            "{:16} {:3}/{}  {}",
            scheme.id(),
            bad.len(),
            words.len(),
            bad.iter().take(12).cloned().collect::<Vec<_>>().join("; ")
        );
    }
}
