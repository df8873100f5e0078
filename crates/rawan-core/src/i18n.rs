//! Every human-facing string of rawan in Bahasa Indonesia and English, in one table: chart
//! and legend labels, layer styles, the report, the recommendations' reasons and the
//! terminal. A string with `{}` takes its values, in order, through [`fill`].

use crate::settings::Lang;

/// The text for `key` in `lang`; the key itself if unknown (so a missing entry shows up).
///
/// ```
/// use rawan_core::i18n::t;
/// use rawan_core::settings::Lang;
/// assert_eq!(t(Lang::Id, "no_data"), "Tidak ada data");
/// assert_eq!(t(Lang::En, "no_data"), "No data");
/// ```
pub fn t(lang: Lang, key: &'static str) -> &'static str {
    let (id, en) = match key {
        // Charts, legends and layer styles.
        "risk_score" => ("Skor risiko (0–10)", "Risk score (0–10)"),
        "risk_map" => ("Peta skor risiko desa", "Village risk score"),
        "very_low" => ("Sangat rendah", "Very low"),
        "low" => ("Rendah", "Low"),
        "medium" => ("Sedang", "Medium"),
        "high" => ("Tinggi", "High"),
        "very_high" => ("Sangat tinggi", "Very high"),
        "no_data" => ("Tidak ada data", "No data"),
        "dim_exposure" => ("Paparan", "Exposure"),
        "dim_hazard" => ("Bahaya", "Hazard"),
        "dim_vulnerability" => ("Kerentanan", "Vulnerability"),
        "dim_coping_capacity" => ("Kurangnya kapasitas penanganan", "Lack of coping capacity"),
        "hot99" => ("Titik panas (99%)", "Hot spot (99%)"),
        "hot95" => ("Titik panas (95%)", "Hot spot (95%)"),
        "hot90" => ("Titik panas (90%)", "Hot spot (90%)"),
        "cold90" => ("Titik dingin (90%)", "Cold spot (90%)"),
        "cold95" => ("Titik dingin (95%)", "Cold spot (95%)"),
        "cold99" => ("Titik dingin (99%)", "Cold spot (99%)"),
        "ns" => ("Tidak signifikan", "Not significant"),
        "HH" => ("Tinggi–Tinggi (klaster)", "High–High (cluster)"),
        "LL" => ("Rendah–Rendah (klaster)", "Low–Low (cluster)"),
        "LH" => ("Rendah–Tinggi (pencilan)", "Low–High (outlier)"),
        "HL" => ("Tinggi–Rendah (pencilan)", "High–Low (outlier)"),
        "desa_binaan" => ("Desa Binaan Imigrasi", "Existing desa binaan"),
        "recommended" => (
            "Desa binaan yang direkomendasikan",
            "Recommended desa binaan",
        ),
        "offices" => ("Kantor Imigrasi", "Immigration offices"),
        "hotspots" => ("Titik panas Gi*", "Gi* hot spots"),
        "lisa" => ("Klaster LISA", "LISA clusters"),
        "villages" => ("Risiko desa", "Village risk"),
        "top_villages" => (
            "Desa dengan risiko tertinggi dan penyumbangnya",
            "Highest-risk villages and what drives them",
        ),
        "contribution" => (
            "Sumbangan terhadap skor risiko (poin)",
            "Contribution to the risk score (points)",
        ),
        "risk_vs_coverage" => (
            "Risiko dan cakupan: kuadran kesenjangan",
            "Risk versus coverage: the gap quadrant",
        ),
        "coverage" => ("Cakupan (0–1)", "Coverage (0–1)"),
        "gap_quadrant" => ("Risiko tinggi, cakupan rendah", "High risk, low coverage"),
        "trend_title" => (
            "Keberangkatan PMI per bulan per kabupaten/kota",
            "Migrant-worker departures per month by kabupaten/kota",
        ),
        "departures_per_month" => (
            "Keberangkatan per bulan (orang)",
            "Departures per month (people)",
        ),
        "victims_title" => (
            "Korban TPPO/TPPM per tahun per kabupaten/kota",
            "TPPO/TPPM victims per year by kabupaten/kota",
        ),
        "victims_per_period" => ("Korban per periode (orang)", "Victims per period (people)"),
        "victims_window_title" => (
            "Korban TPPO/TPPM per kabupaten/kota dalam jendela analisis",
            "TPPO/TPPM victims by kabupaten/kota over the analysis window",
        ),
        "victims_window_title_kecamatan" => (
            "Korban TPPO/TPPM per kecamatan dalam jendela analisis",
            "TPPO/TPPM victims by kecamatan over the analysis window",
        ),
        "victims_in_window" => (
            "Korban dalam jendela N bulan (orang)",
            "Victims in the N-month window (people)",
        ),
        "victims_known_part" => (
            "dari desa dengan jumlah yang dipublikasikan",
            "from villages with published counts",
        ),
        "victims_range_part" => (
            "rentang dari desa dengan 1–<k korban",
            "range from villages with 1–<k victims",
        ),
        "months" => ("bulan", "months"),
        "month" => ("Bulan", "Month"),
        "rank_intervals" => (
            "Ketidakpastian peringkat desa teratas (persentil 5–95)",
            "Rank uncertainty of the top villages (5th–95th percentile)",
        ),
        "rank" => (
            "Peringkat (1 = risiko tertinggi)",
            "Rank (1 = highest risk)",
        ),
        "rank_now" => ("Peringkat saat ini", "Current rank"),
        "source" => ("Sumber: rawan", "Source: rawan"),
        "as_of" => ("per", "as of"),
        "longitude" => ("Bujur (°)", "Longitude (°)"),
        "latitude" => ("Lintang (°)", "Latitude (°)"),
        "other_villages" => ("Desa lain", "Other villages"),
        "villages_count" => ("desa", "villages"),
        "recommended_short" => ("Rekomendasi", "Recommended"),
        // The report.
        // The interactive map page (map.html).
        "web_title" => (
            "Peta interaktif risiko TPPO/TPPM",
            "Interactive TPPO/TPPM risk map",
        ),
        "web_search" => (
            "Cari nama desa atau kode…",
            "Search a village name or code…",
        ),
        "web_no_match" => ("Tidak ada desa yang cocok", "No village matches"),
        "web_layers" => ("Lapisan", "Layers"),
        "web_help" => (
            "Klik desa untuk melihat rinciannya. Geser dan gulir untuk menjelajah.",
            "Click a village for its details. Drag and scroll to explore.",
        ),
        "web_risk" => ("Skor risiko", "Risk score"),
        "web_rank" => (
            "Peringkat {} dari {} (rentang 90%: {}–{})",
            "Rank {} of {} (90% range: {}–{})",
        ),
        "web_top_contributions" => (
            "Penyumbang skor terbesar",
            "Largest contributions to the score",
        ),
        "web_coverage" => ("Cakupan", "Coverage"),
        "web_designated" => ("Desa binaan sejak {}", "Desa binaan since {}"),
        "web_recommendation" => ("Rekomendasi", "Recommendation"),
        "web_recommended_as" => (
            "Usulan desa binaan #{}, {} ({} km)",
            "Proposed desa binaan #{}, {} ({} km)",
        ),
        "web_not_recommended" => ("Tidak diusulkan pada siklus ini", "Not proposed this cycle"),
        "web_counts" => ("Dalam jendela analisis", "In the analysis window"),
        "web_departures" => ("Keberangkatan PMI", "PMI departures"),
        "web_nonprocedural" => ("di antaranya nonprosedural", "of which non-procedural"),
        "web_cases" => ("Kasus TPPO/TPPM", "TPPO/TPPM cases"),
        "web_victims" => ("Korban", "Victims"),
        "web_suppressed" => (
            "(s) = angka kecil disamarkan untuk melindungi korban",
            "(s) = small count suppressed to protect victims",
        ),
        "web_hot_spot" => ("Gi*", "Gi*"),
        "web_cluster" => ("LISA", "LISA"),
        "web_capacity" => (
            "kapasitas {}, {} desa diusulkan",
            "capacity {}, {} villages proposed",
        ),
        "report_web_map" => (
            "satu berkas dalam folder ini, dibuka dengan peramban apa pun tanpa internet: desa dapat dicari, diklik dan lapisannya dinyalakan atau dimatikan.",
            "one file in this folder that opens in any browser without internet: search for a village, click it, switch layers on and off.",
        ),
        "web_no_webgl" => (
            "Peramban ini tidak dapat menampilkan peta (WebGL tidak tersedia). Gunakan peta pada laporan atau buka lapisan di QGIS.",
            "This browser cannot show the map (WebGL is unavailable). Use the report's map or open the layers in QGIS.",
        ),
        "report_title" => (
            "Pemetaan daerah rawan TPPO/TPPM dan sasaran Desa Binaan Imigrasi",
            "TPPO/TPPM vulnerable-area mapping and Desa Binaan Imigrasi targeting",
        ),
        "report_data_as_of" => ("Data per", "Data as of"),
        "report_window" => ("jendela", "window"),
        "report_months" => ("bulan", "months"),
        "report_villages" => ("desa/kelurahan", "villages"),
        "report_restricted_warning" => (
            "TERBATAS: laporan ini memuat jumlah kasus dan korban yang tidak disembunyikan. Hanya untuk penggunaan internal; jangan dibagikan.",
            "RESTRICTED: this report contains unsuppressed case and victim counts. Internal use only; do not share.",
        ),
        "report_attention" => ("Perhatian:", "Attention:"),
        "report_synthetic" => (
            "DATA SINTETIS: batas, kode dan nama desa nyata; seluruh angka statistik (penduduk, keberangkatan PMI, kasus, desa binaan selain yang diberitakan) dibuat oleh `rawan synth` sebagai contoh. Bukan data resmi.",
            "SYNTHETIC DATA: real village boundaries, codes and names; every statistic (population, migrant-worker departures, cases, desa binaan other than those the news reports) is made by `rawan synth` as an example. Not official data.",
        ),
        "synthetic_short" => ("DATA SINTETIS", "SYNTHETIC DATA"),
        "audit_title" => (
            "Audit statistik indeks: korelasi (r Pearson)",
            "Statistical audit of the index: correlations (Pearson's r)",
        ),
        "audit_alpha" => (
            "Konsistensi dimensi (alfa Cronbach)",
            "Consistency of each dimension (Cronbach's alpha)",
        ),
        "audit_low" => ("rendah, < 0.7", "low, < 0.7"),
        "audit_one_indicator" => ("satu indikator", "one indicator"),
        "audit_flags" => ("Perlu ditinjau", "To look at again"),
        "audit_negative" => (
            "{} berkorelasi negatif dengan dimensinya",
            "{} correlates negatively with its dimension",
        ),
        "audit_overlap" => (
            "{} dan {} hampir sama (|r| ≥ 0.92)",
            "{} and {} overlap (|r| ≥ 0.92)",
        ),
        "audit_none" => ("tidak ada", "nothing"),
        "report_summary" => ("Ringkasan", "Summary"),
        "report_villages_score_6_or_more" => (
            "desa dengan skor risiko 6 atau lebih (tinggi / sangat tinggi).",
            "villages score 6 or more (high / very high risk).",
        ),
        "report_villages_are_gi_hot_spots" => (
            "desa termasuk titik panas Gi* (90% ke atas)",
            "villages are Gi* hot spots (90% or more)",
        ),
        "report_villages_are_in_lisa_highhigh" => (
            "desa dalam klaster LISA Tinggi–Tinggi.",
            "villages are in LISA High–High clusters.",
        ),
        "report_desa_binaan_already_exist" => {
            ("desa binaan sudah ada.", "desa binaan already exist.")
        }
        "report_villages_are_recommended_as_new" => (
            "desa direkomendasikan menjadi desa binaan baru",
            "villages are recommended as new desa binaan",
        ),
        "report_gap_covered" => ("kesenjangan yang tertutup", "gap covered"),
        "report_of" => ("dari", "of"),
        "report_highestrisk_villages_and_why" => (
            "Desa dengan risiko tertinggi, dan mengapa",
            "Highest-risk villages, and why",
        ),
        "report_score_combines" => (
            "Skor risiko 0–10 menggabungkan {} dimensi risiko seperti indeks INFORM ({}; lihat docs/methodology.md): {}.",
            "The 0–10 risk score combines {} dimensions of risk as the INFORM index does ({}; see docs/methodology.md): {}.",
        ),
        "report_geometric" => ("rata-rata geometrik", "geometric mean"),
        "report_arithmetic" => ("rata-rata aritmetik", "arithmetic mean"),
        "report_contribution_columns" => (
            "Tingkat korban dihaluskan dengan Empirical Bayes; indikator yang nilainya lebih rendah berarti lebih berisiko dibalik arahnya. Kolom sumbangan menunjukkan berapa poin skor berasal dari tiap indikator. Rentang peringkat adalah persentil 5–95 dari simulasi Monte Carlo atas bobot dan pilihan metode.",
            "The victim rate is Empirical-Bayes smoothed; an indicator for which lower is riskier is turned round. The contribution columns show how many points of the score come from each indicator. The rank range is the 5th–95th percentile over a Monte Carlo of weights and method choices.",
        ),
        "report_audit" => ("Audit statistik indeks", "Statistical audit of the index"),
        "report_audit_intro" => (
            "Seperti audit JRC atas indeks komposit (COIN): korelasi antarindikator, dengan dimensinya dan dengan skor risiko, serta konsistensi tiap dimensi (alfa Cronbach, baik bila ≥ 0.7). Indikator yang berkorelasi negatif dengan dimensinya, atau dua indikator yang hampir sama (|r| ≥ 0.92), layak ditinjau: dibuang, digabung, atau dibalik arahnya. Tabel lengkap: `index_audit.csv`, `index_correlations.csv`.",
            "As the JRC audits a composite index (COIN): correlations between indicators, with their dimension and with the risk score, and each dimension's consistency (Cronbach's alpha, good at 0.7 or more). An indicator that correlates negatively with its dimension, or two that overlap almost entirely (|r| ≥ 0.92), deserve another look: drop, merge or turn round. Full tables: `index_audit.csv`, `index_correlations.csv`.",
        ),
        "report_dimension" => ("Dimensi", "Dimension"),
        "report_indicators" => ("Indikator", "Indicators"),
        "report_alpha" => ("Alfa Cronbach", "Cronbach's alpha"),
        "report_r_index" => ("r dengan skor risiko", "r with the risk score"),
        "report_village" => ("Desa", "Village"),
        "report_kecamatan" => ("Kecamatan", "Kecamatan"),
        "report_kabupatenkota" => ("Kabupaten/Kota", "Kabupaten/Kota"),
        "report_rank_range" => ("Rentang peringkat", "Rank range"),
        "report_where_highrisk_villages_cluster" => (
            "Di mana desa berisiko tinggi mengelompok",
            "Where high-risk villages cluster",
        ),
        "report_fdr_used" => (
            "Signifikansi memakai koreksi false discovery rate (Benjamini–Hochberg).",
            "Significance uses the Benjamini–Hochberg false-discovery-rate correction.",
        ),
        "report_fdr_not_used" => (
            "Nilai p dari permutasi bersyarat tanpa koreksi uji berganda; sebagian kecil desa akan tampak signifikan secara kebetulan.",
            "p-values from conditional permutations, without a multiple-testing correction: a few villages will look significant by chance.",
        ),
        "report_gi_hotspot_villages" => ("Desa titik panas Gi*", "Gi* hot-spot villages"),
        "report_hhcluster_villages" => ("Desa klaster HH", "HH-cluster villages"),
        "report_coverage_gap_and_recommendations" => (
            "Kesenjangan cakupan dan rekomendasi",
            "Coverage gap and recommendations",
        ),
        "report_villages_are_chosen_greedily_by" => (
            "Desa dipilih secara greedy menurut risiko yang belum tercakup (skor risiko × (1 − cakupan)), dengan anggaran",
            "Villages are chosen greedily by uncovered risk (risk score × (1 − coverage)), with a budget of",
        ),
        "report_villages_and_each_offices_capacity" => (
            " desa dan kapasitas tiap kantor imigrasi.",
            " villages and each office's capacity.",
        ),
        "report_office" => ("Kantor", "Office"),
        "report_distance_km" => ("Jarak (km)", "Distance (km)"),
        "report_reason" => ("Alasan", "Reason"),
        "report_villages_with_a_larger_gap" => (
            "desa dengan kesenjangan lebih besar tidak dapat ditugaskan karena tidak ada kantor dengan kapasitas tersisa dalam radiusnya; kapasitas, bukan risiko, yang membatasi pilihan di sana. Yang pertama",
            "villages with a larger gap could not be assigned because no office with capacity left reaches them; there, capacity rather than risk decided. The first",
        ),
        "report_code_risk_score" => ("(kode, skor risiko)", "(code, risk score)"),
        "report_trends" => ("Tren", "Trends"),
        "report_cases" => ("Kasus", "Cases"),
        "report_victims" => ("Korban", "Victims"),
        "report_total" => ("Jumlah", "Total"),
        "report_how_sure_is_this_ranking" => {
            ("Seberapa yakin peringkat ini?", "How sure is this ranking?")
        }
        "report_data_read" => ("Data yang dibaca", "Data read"),
        "report_table" => ("Tabel", "Table"),
        "report_file" => ("Berkas", "File"),
        "report_read" => ("Dibaca", "Read"),
        "report_used" => ("Dipakai", "Used"),
        "report_rejected" => ("Ditolak", "Rejected"),
        "report_not_published" => ("(tidak dipublikasikan)", "(not published)"),
        "report_every_rejected_row_is_listed" => (
            "Setiap baris yang ditolak tercatat beserta alasannya di",
            "Every rejected row is listed with its reason in",
        ),
        "report_rows_were_matched_other_than" => (
            "baris dicocokkan bukan dengan kode persis (nama atau kode tanpa nol); semuanya tercantum di",
            "rows were matched other than by an exact code (names or a code that lost a zero); all are listed in",
        ),
        "report_caveats" => ("Catatan dan keterbatasan", "Caveats"),
        "report_village_case_and_victim_counts" => (
            "Jumlah kasus dan korban per desa antara 1 dan",
            "Village case and victim counts from 1 to",
        ),
        "report_restricted_counts" => (
            "— TERBATAS: semua jumlah dalam laporan ini persis dan tidak disamarkan.",
            "— RESTRICTED: every count in this report is exact and unprotected.",
        ),
        "report_neighbours_come_from_the_polygon" => (
            "Tetangga dihitung dari batas poligon dengan toleransi celah",
            "Neighbours come from the polygon boundaries with a gap tolerance",
        ),
        "report_neighbours_on_average" => ("tetangga rata-rata", "neighbours on average"),
        "report_island_villages_linked_to_their" => (
            "desa pulau dihubungkan ke desa terdekat",
            "island villages linked to their nearest villages",
        ),
        "report_risk_scores_are_relative_to" => (
            "Skor risiko bersifat relatif terhadap desa-desa dalam analisis ini, bukan ukuran mutlak.",
            "Risk scores are relative to the villages in this run, not absolute measures.",
        ),
        "report_case_data_hold_reported_cases" => (
            "Data kasus hanya mencakup kasus yang dilaporkan; desa tanpa laporan belum tentu aman.",
            "Case data hold reported cases only: a village without reports is not necessarily safe.",
        ),
        "report_small_cells" => (
            "{} ditampilkan sebagai (s) dan dimodelkan sebagai {} korban, apa pun nilai sebenarnya; total wilayah ditampilkan sebagai rentang (misalnya 51–59), sehingga tidak ada nilai desa yang dapat dihitung balik (docs/privacy.md).",
            "{} are shown as (s) and modelled as {} victims whatever their true value; area totals are shown as ranges (e.g. 51–59), so no village value can be worked out from them (docs/privacy.md).",
        ),
        // The recommendations' reasons.
        "reason_cluster" => ("klaster {}", "{} cluster"),
        "reason_hot_spot" => ("titik panas Gi*", "Gi* hot spot"),
        "reason_no_outreach_in_window" => (
            "tanpa sosialisasi dalam {} bulan",
            "no outreach in {} months",
        ),
        "reason_no_outreach_for" => ("tanpa sosialisasi {} bulan", "no outreach in {} months"),
        "reason_high_risk" => ("risiko tinggi", "high risk"),
        // The terminal.
        "term_input_rows" => (
            "Baris masukan (dibaca / dipakai / ditolak):",
            "Input rows (read / used / rejected):",
        ),
        "term_highest_risk" => ("Desa dengan risiko tertinggi:", "Highest-risk villages:"),
        "term_recommended" => ("Desa direkomendasikan:", "Villages recommended:"),
        "term_rejected_rows" => ("Baris ditolak:", "Rejected rows:"),
        "term_outputs_written" => ("Hasil ditulis ke", "Outputs written to"),
        "term_attention" => ("perhatian", "attention"),
        "notice_no_office" => (
            "tidak ada kantor yang dapat dipakai dari {} ({} baris, semuanya ditolak; lihat rejects.csv): rekomendasi dibuat tanpa kapasitas dan jarak kantor.",
            "no office in {} could be used ({} rows, all rejected; see rejects.csv): recommendations were made without office capacity or distance.",
        ),
        "notice_capacity_0" => (
            "setiap kantor di {} berkapasitas 0: tidak ada desa yang dapat direkomendasikan. Isi kolom capacity, atau kosongkan untuk tanpa batas.",
            "every office in {} has capacity 0: no village can be recommended. Fill in capacity, or leave it empty for no limit.",
        ),
        "notice_budget_0" => (
            "targeting.budget = 0: tidak ada desa yang direkomendasikan.",
            "targeting.budget = 0: no village is recommended.",
        ),
        // The programme's effect: its chart and report section.
        "programme_title" => (
            "Efek penetapan desa binaan: keberangkatan non-prosedural per 1.000 penduduk per bulan",
            "Effect of desa binaan designation: non-procedural departures per 1,000 residents a month",
        ),
        "programme_x" => (
            "Bulan sejak penetapan (negatif: sebelum penetapan)",
            "Months since designation (negative: before it)",
        ),
        "programme_y" => (
            "Efek (per 1.000 penduduk per bulan)",
            "Effect (per 1,000 residents a month)",
        ),
        "programme_before" => (
            "Sebelum penetapan (seharusnya sekitar 0), interval 95 %",
            "Before designation (should sit near 0), 95 % interval",
        ),
        "programme_after" => (
            "Sesudah penetapan, interval 95 %",
            "After designation, 95 % interval",
        ),
        "programme_average" => (
            "Rata-rata efek sesudah penetapan",
            "Average effect after designation",
        ),
        "programme_not_estimable" => (
            "Efek tidak dapat diperkirakan dari data ini (lihat programme_effect.csv)",
            "The effect cannot be estimated from these data (see programme_effect.csv)",
        ),
        "report_programme" => ("Apakah program bekerja?", "Is the programme working?"),
        "report_programme_nonprocedural" => (
            "Keberangkatan non-prosedural per 1.000 penduduk per bulan",
            "Non-procedural departures per 1,000 residents a month",
        ),
        "report_programme_victims" => (
            "Korban per 10.000 penduduk per bulan (hanya analisis terbatas)",
            "Victims per 10,000 residents a month (restricted runs only)",
        ),
        "report_programme_estimate" => (
            "{}: rata-rata efek sesudah penetapan {} (interval 95 %: {} sampai {}), dari {} desa binaan yang ditetapkan dalam jendela, dibandingkan dengan desa yang belum ditetapkan ({} desa tidak pernah ditetapkan dalam jendela). Lihat programme_effect.csv dan programme_event_study.csv.",
            "{}: average effect after designation {} (95 % interval {} to {}), from {} desa binaan designated within the window, compared with villages not yet designated ({} villages never designated within the window). See programme_effect.csv and programme_event_study.csv.",
        ),
        "report_programme_before_window" => (
            "{} desa binaan ditetapkan sebelum jendela analisis atau pada bulan pertamanya; tanpa bulan sebelum penetapan, desa-desa itu tidak dipakai.",
            "{} desa binaan were designated before the analysis window or in its first month; with no month before designation, they are left out.",
        ),
        "report_programme_caveats" => (
            "**Apa yang dapat dan tidak dapat dikatakan angka ini.** Desa binaan dipilih karena risikonya, sehingga desa yang ditetapkan berbeda dari yang lain; metode Callaway & Sant'Anna (2021) membandingkan *perubahan* sesudah penetapan dengan perubahan di desa yang belum ditetapkan pada bulan yang sama, dan hanya sahih bila tanpa penetapan kedua kelompok akan berubah sejajar. Titik abu-abu pada grafik (bulan sebelum penetapan) adalah pemeriksaannya: semestinya berada di sekitar nol. Bila banyak titik abu-abu jauh dari nol, jangan memakai perkiraan ini. Dengan sedikit desa binaan intervalnya lebar, dan interval yang mencakup nol berarti data tidak dapat membedakan efek dari tidak ada efek, bukan bahwa program tidak bekerja. Keberangkatan non-prosedural baru terlihat belakangan (melalui deportasi dan pemulangan) dan sosialisasi dapat menambah pelaporan, sehingga kenaikan sesudah penetapan dapat berarti lebih banyak yang tercatat, bukan lebih banyak yang berangkat. Efek desa binaan terhadap tetangganya (yang ikut menjadi pembanding) membuat perkiraan lebih kecil dari yang sebenarnya.",
            "**What this number can and cannot say.** Desa binaan are chosen by risk, so designated villages differ from the others; the Callaway & Sant'Anna (2021) method compares the *change* after designation with the change in villages not yet designated in the same months, and is valid only if, without designation, both would have changed alike. The grey points of the chart (months before designation) are the check: they should sit around zero. If many are far from zero, do not use this estimate. With few desa binaan the interval is wide, and an interval that covers zero means the data cannot tell an effect from none, not that the programme does not work. Non-procedural departures become visible late (through deportations and repatriations) and outreach itself can raise reporting, so a rise after designation may mean more recorded, not more leaving. Effects of a desa binaan on its neighbours (which serve as controls) make the estimate smaller than the true effect.",
        ),
        "history_title" => (
            "Skor risiko desa teratas pada tanggal-tanggal analisis",
            "Risk score of the top villages at the run's dates",
        ),
        "modus_title" => (
            "Kasus menurut modus per 12 bulan",
            "Cases by modus per 12 months",
        ),
        "modus_x" => (
            "Periode 12 bulan yang berakhir pada",
            "Twelve months ending",
        ),
        "modus_y" => (
            "Kasus di desa yang jumlah kasusnya dipublikasikan (sel (s) tidak dihitung)",
            "Cases in villages whose case count is published ((s) cells not counted)",
        ),
        "modus_y_all" => ("Kasus", "Cases"),
        "modus_nothing" => (
            "Tidak ada kasus untuk dirinci: setiap desa yang memiliki kasus adalah sel kecil (1 sampai ambang minimum)",
            "No cases to break down: every village with cases is a small cell (1 up to the minimum count)",
        ),
        "history_x" => (
            "Tanggal analisis (jendela yang sama awalnya; skor relatif terhadap semua desa pada tanggal itu)",
            "Analysis date (same window start; scores relative to all villages at that date)",
        ),
        "report_modus" => (
            "Modus dari waktu ke waktu: kasus menurut modus per 12 bulan dan kabupaten/kota ada di modus_trend.csv. Laporan yang dipublikasikan hanya menghitung kasus dari desa yang jumlah kasusnya dipublikasikan (kolom `villages_counted`); sel kecil dan sel yang melindunginya ditulis (s). Ditandai pada 12 bulan terakhir: {}.",
            "Modus over time: cases by modus per 12 months and kabupaten/kota are in modus_trend.csv. A published run counts only the cases of villages whose case count is published (column `villages_counted`); small cells and the cells that protect them read (s). Flagged in the latest 12 months: {}.",
        ),
        "report_modus_restricted" => (
            "Modus dari waktu ke waktu: kasus menurut modus per 12 bulan dan kabupaten/kota ada di modus_trend.csv. Run terbatas ini menghitung setiap kasus, tepat dan tanpa penyembunyian (hanya untuk internal). Ditandai pada 12 bulan terakhir: {}.",
            "Modus over time: cases by modus per 12 months and kabupaten/kota are in modus_trend.csv. This restricted run counts every case, exactly and without suppression (internal use only). Flagged in the latest 12 months: {}.",
        ),
        "modus_none_flagged" => ("tidak ada", "none"),
        "modus_new" => ("baru", "new"),
        "modus_rising" => ("meningkat", "rising"),
        "report_history" => (
            "Risiko dari waktu ke waktu: model yang sama dihitung juga pada tanggal {} (awal jendela sama, jendela lebih pendek; skor relatif terhadap semua desa pada tanggal itu). `risk_trend` di tabel dan layer adalah kemiringannya dalam poin per tahun; semua skor di risk_history.csv.",
            "Risk over time: the same model is also scored at {} (same window start, shorter window; scores relative to all villages at that date). `risk_trend` in the tables and layer is its slope in points a year; every score is in risk_history.csv.",
        ),
        // `rawan compare`: its layer style, chart and report.
        "riskier" => ("Lebih berisiko", "Riskier"),
        "less_risky" => ("Kurang berisiko", "Less risky"),
        "no_clear_change" => ("Tidak berubah jelas", "No clear change"),
        "only_before" => ("Hanya di analisis sebelumnya", "Only in the previous run"),
        "only_after" => ("Hanya di analisis sekarang", "Only in the current run"),
        "movers_title" => (
            "Perubahan peringkat risiko terbesar",
            "Largest changes in risk rank",
        ),
        "movers_axis" => (
            "Peringkat risiko (1 = paling berisiko); garis dari peringkat sebelumnya ke titik peringkat sekarang",
            "Risk rank (1 = riskiest); line from the previous rank to a dot at the current one",
        ),
        "movers_none" => (
            "Tidak ada desa yang peringkatnya bergeser melebihi interval peringkatnya",
            "No village's rank moved by more than its rank intervals",
        ),
        "changes_title" => (
            "Perubahan risiko desa antar analisis",
            "Changes in village risk between runs",
        ),
        "changes_runs" => ("Analisis yang dibandingkan", "The runs compared"),
        "changes_previous" => ("Sebelumnya", "Previous"),
        "changes_current" => ("Sekarang", "Current"),
        "changes_folder" => ("Folder", "Folder"),
        "changes_version" => ("Versi rawan", "rawan version"),
        "changes_same_settings" => (
            "Kedua analisis memakai pengaturan yang sama untuk skor, peringkat dan kelas Gi*.",
            "Both runs used the same settings for scores, ranks and Gi* classes.",
        ),
        "changes_different_settings" => (
            "**Pengaturan berbeda** (dibandingkan atas permintaan, `--allow-different-settings`): sebagian perubahan berasal dari pengaturan, bukan dari lapangan:",
            "**Different settings** (compared on request, `--allow-different-settings`): part of each change comes from the settings, not from the ground:",
        ),
        "changes_summary" => ("Ringkasan", "Summary"),
        "changes_compared" => (
            "{} desa dibandingkan ({} hanya di analisis sebelumnya, {} hanya di analisis sekarang).",
            "{} villages compared ({} only in the previous run, {} only in the current one).",
        ),
        "changes_moved" => (
            "{} desa menjadi lebih berisiko dan {} kurang berisiko, dengan pergeseran peringkat melebihi interval peringkat kedua analisis; {} desa tidak berubah jelas.",
            "{} villages became riskier and {} less risky by more than both runs' rank intervals; {} show no clear change.",
        ),
        "changes_hot" => (
            "Titik panas Gi*: {} muncul, {} hilang, {} bertahan.",
            "Gi* hot spots: {} appeared, {} faded, {} stayed.",
        ),
        "changes_designated" => (
            "Dari {} desa yang direkomendasikan analisis sebelumnya (dan belum desa binaan saat itu), {} kini desa binaan.",
            "Of the {} villages the previous run recommended (not desa binaan then), {} are desa binaan now.",
        ),
        "changes_riskier_table" => (
            "Pergeseran terbesar ke risiko lebih tinggi",
            "Largest moves towards higher risk",
        ),
        "changes_less_table" => (
            "Pergeseran terbesar ke risiko lebih rendah",
            "Largest moves towards lower risk",
        ),
        "changes_columns" => (
            "| Peringkat sebelumnya → sekarang | Desa | Kecamatan | Kabupaten/kota | Skor sebelumnya → sekarang |",
            "| Rank previous → current | Village | Kecamatan | Kabupaten/kota | Score previous → current |",
        ),
        "changes_none" => ("Tidak ada.", "None."),
        "changes_how" => ("Cara membaca", "How to read this"),
        "changes_how_text" => (
            "Perubahan peringkat dianggap nyata bila peringkat bergeser lebih jauh daripada lebar interval peringkat 5–95 % desa itu di *kedua* analisis (`rank_change_beyond_intervals` di changes.csv). Interval itu adalah seberapa jauh peringkat bergerak bila bobot indeks dan laju yang dihaluskan ditarik ulang; pergeseran di dalamnya dapat terjadi tanpa perubahan apa pun di lapangan. `rank_change` = peringkat sebelumnya − peringkat sekarang: positif berarti lebih berisiko. Perbandingan hanya memakai hasil yang sudah dipublikasikan kedua analisis, sehingga tidak mengungkap apa pun yang tidak mereka ungkap.",
            "A change in rank is called real when the rank moved further than the width of the village's 5–95 % rank interval in *both* runs (`rank_change_beyond_intervals` in changes.csv). The interval is how far the rank moves when the index's weights and the smoothed rates are drawn again; a move within it can happen with no change on the ground. `rank_change` = previous rank − current rank: positive means riskier. The comparison uses only what both runs published, so it reveals nothing they did not.",
        ),
        "changes_files" => ("Berkas", "Files"),
        "changes_files_text" => (
            "`changes.csv` (per desa), `changes.geojson` + `changes.qml` (layer QGIS, diwarnai menurut `movement`), `changes.gpkg` (layer yang sama sebagai GeoPackage, gayanya tersimpan di dalamnya), `changes_movers.svg`/`.png` (grafik), `manifest.json` (kedua analisis dan hash setiap berkas).",
            "`changes.csv` (per village), `changes.geojson` + `changes.qml` (QGIS layer, styled by `movement`), `changes.gpkg` (the same layer as a GeoPackage, its style stored inside), `changes_movers.svg`/`.png` (chart), `manifest.json` (both runs and every file's hash).",
        ),
        _ => (key, key),
    };
    match lang {
        Lang::Id => id,
        Lang::En => en,
    }
}

/// `template` with each `{}` replaced by the next of `values`, in order.
///
/// ```
/// assert_eq!(rawan_core::i18n::fill("tanpa sosialisasi {} bulan", &[&18]), "tanpa sosialisasi 18 bulan");
/// ```
pub fn fill(template: &str, values: &[&dyn std::fmt::Display]) -> String {
    let mut out = String::with_capacity(template.len() + 8 * values.len());
    let mut values = values.iter();
    let mut rest = template;
    while let Some(at) = rest.find("{}") {
        out.push_str(&rest[..at]);
        if let Some(v) = values.next() {
            out.push_str(&v.to_string());
        }
        rest = &rest[at + 2..];
    }
    out.push_str(rest);
    out
}

/// A published table column: its fixed key, then label and meaning in Bahasa Indonesia and
/// in English (the workbook's headers and its sheet that explains the columns). Indicator
/// columns and their `c_<key>` contributions take their labels from the indicator set.
pub const COLUMNS: &[(&str, &str, &str, &str, &str)] = &[
    (
        "recommended_rank",
        "Urutan rekomendasi",
        "Recommendation order",
        "Urutan desa yang direkomendasikan menjadi desa binaan (1 = pertama); kosong bila tidak direkomendasikan",
        "Order in which the village is recommended as desa binaan (1 = first); empty where not recommended",
    ),
    (
        "risk_rank",
        "Peringkat risiko",
        "Risk rank",
        "Peringkat skor risiko di seluruh wilayah (1 = tertinggi)",
        "Rank of the risk score over the whole region (1 = highest)",
    ),
    (
        "kode_desa",
        "Kode desa",
        "Village code",
        "Kode desa/kelurahan Kemendagri (PP.KK.CC.DDDD)",
        "Kemendagri village code (PP.KK.CC.DDDD)",
    ),
    (
        "desa",
        "Desa/kelurahan",
        "Village",
        "Nama desa/kelurahan",
        "Village (desa/kelurahan) name",
    ),
    (
        "kecamatan",
        "Kecamatan",
        "Kecamatan",
        "Kecamatan (distrik)",
        "Kecamatan (district)",
    ),
    (
        "kabupaten",
        "Kabupaten/kota",
        "Kabupaten/kota",
        "Kabupaten/kota (regency/city)",
        "Kabupaten/kota (regency/city)",
    ),
    (
        "office",
        "Kantor imigrasi",
        "Immigration office",
        "Kantor imigrasi yang membina desa ini",
        "Immigration office that would foster the village",
    ),
    (
        "distance_km",
        "Jarak (km)",
        "Distance (km)",
        "Jarak garis lurus dari kantor ke desa",
        "Straight-line distance from the office to the village",
    ),
    (
        "population",
        "Penduduk",
        "Population",
        "Jumlah penduduk desa",
        "Village population",
    ),
    (
        "risk_score",
        "Skor risiko (0–10)",
        "Risk score (0–10)",
        "Skor risiko gaya INFORM: rata-rata geometris dimensi yang ada (10 = risiko tertinggi)",
        "INFORM-style risk score: geometric mean of the dimensions present (10 = highest risk)",
    ),
    (
        "rank_p05",
        "Peringkat, batas atas 90%",
        "Rank, best of 90% range",
        "Peringkat terbaik dalam 90% simulasi Monte Carlo atas bobot dan normalisasi",
        "Best rank in 90% of the Monte Carlo runs over weights and normalisation",
    ),
    (
        "rank_p95",
        "Peringkat, batas bawah 90%",
        "Rank, worst of 90% range",
        "Peringkat terburuk dalam 90% simulasi Monte Carlo",
        "Worst rank in 90% of the Monte Carlo runs",
    ),
    (
        "p_top_n",
        "Peluang masuk daftar teratas",
        "Chance of the top list",
        "Bagian simulasi Monte Carlo yang menempatkan desa di daftar teratas",
        "Share of Monte Carlo runs that put the village in the top list",
    ),
    (
        "risk_trend",
        "Tren risiko (poin/tahun)",
        "Risk trend (points a year)",
        "Perubahan skor risiko per tahun pada tanggal-tanggal analisis sebelumnya",
        "Change of the risk score a year over the earlier analysis dates",
    ),
    (
        "exposure",
        "Paparan (0–10)",
        "Exposure (0–10)",
        "Skor dimensi paparan",
        "Exposure dimension score",
    ),
    (
        "hazard",
        "Bahaya (0–10)",
        "Hazard (0–10)",
        "Skor dimensi bahaya",
        "Hazard dimension score",
    ),
    (
        "vulnerability",
        "Kerentanan (0–10)",
        "Vulnerability (0–10)",
        "Skor dimensi kerentanan",
        "Vulnerability dimension score",
    ),
    (
        "coping_capacity",
        "Kurangnya kapasitas penanganan (0–10)",
        "Lack of coping capacity (0–10)",
        "Skor dimensi kurangnya kapasitas penanganan (lebih tinggi = lebih berisiko)",
        "Lack of coping capacity dimension score (higher = riskier)",
    ),
    (
        "gi_z",
        "Gi* z",
        "Gi* z",
        "Statistik Getis-Ord Gi* (z) atas skor risiko",
        "Getis-Ord Gi* statistic (z) of the risk score",
    ),
    (
        "gi_p",
        "Gi* p",
        "Gi* p",
        "Nilai p permutasi Gi*",
        "Gi* permutation p-value",
    ),
    (
        "gi_class",
        "Kelas Gi*",
        "Gi* class",
        "hot99/hot95/hot90 titik panas, cold… titik dingin, ns tidak signifikan",
        "hot99/hot95/hot90 hot spot, cold… cold spot, ns not significant",
    ),
    (
        "lisa_cluster",
        "Klaster LISA",
        "LISA cluster",
        "HH, LL klaster; HL, LH pencilan; ns tidak signifikan",
        "HH, LL clusters; HL, LH outliers; ns not significant",
    ),
    (
        "lisa_p",
        "LISA p",
        "LISA p",
        "Nilai p permutasi Local Moran",
        "Local Moran permutation p-value",
    ),
    (
        "coverage",
        "Cakupan (0–1)",
        "Coverage (0–1)",
        "Cakupan program: desa binaan dan sosialisasi di desa dan sekitarnya",
        "Programme coverage: desa binaan and outreach in and around the village",
    ),
    (
        "coverage_gap",
        "Kesenjangan cakupan",
        "Coverage gap",
        "Skor risiko × (1 − cakupan)",
        "Risk score × (1 − coverage)",
    ),
    (
        "desa_binaan",
        "Desa binaan",
        "Desa binaan",
        "Sudah menjadi desa binaan imigrasi",
        "Already an immigration-fostered village",
    ),
    (
        "departures",
        "Keberangkatan PMI",
        "PMI departures",
        "Keberangkatan pekerja migran dalam jendela analisis",
        "Migrant-worker departures in the analysis window",
    ),
    (
        "cases",
        "Kasus",
        "Cases",
        "Kasus TPPO/TPPM; (s) = 1 sampai ambang minimum, disembunyikan",
        "TPPO/TPPM cases; (s) = 1 up to the minimum count, suppressed",
    ),
    (
        "victims",
        "Korban",
        "Victims",
        "Korban; (s) = 1 sampai ambang minimum, disembunyikan",
        "Victims; (s) = 1 up to the minimum count, suppressed",
    ),
    (
        "missing_indicators",
        "Indikator tidak tersedia",
        "Missing indicators",
        "Indikator yang tidak dimiliki desa (skor dari indikator lainnya)",
        "Indicators the village lacks (its score comes from the others)",
    ),
    (
        "reliability",
        "Keandalan (0–1)",
        "Reliability (0–1)",
        "Bagian indikator yang tersedia untuk desa",
        "Share of the indicators the village has",
    ),
    (
        "data_age_years",
        "Umur data (tahun)",
        "Data age (years)",
        "Umur data tertua yang dipakai skor desa",
        "Age of the oldest figures the village's score used",
    ),
    (
        "reason",
        "Alasan",
        "Reason",
        "Mengapa desa ini direkomendasikan",
        "Why the village is recommended",
    ),
    (
        "villages",
        "Jumlah desa",
        "Villages",
        "Jumlah desa/kelurahan",
        "Number of villages",
    ),
    (
        "risk_mean",
        "Rata-rata skor risiko",
        "Mean risk score",
        "Rata-rata skor risiko desa",
        "Mean of the villages' risk scores",
    ),
    (
        "risk_max",
        "Skor risiko tertinggi",
        "Highest risk score",
        "Skor risiko desa tertinggi",
        "Highest village risk score",
    ),
    (
        "villages_risk_6_plus",
        "Desa berisiko ≥ 6",
        "Villages at risk ≥ 6",
        "Jumlah desa dengan skor risiko 6 atau lebih",
        "Villages with a risk score of 6 or more",
    ),
    (
        "hot_spot_villages",
        "Desa titik panas",
        "Hot-spot villages",
        "Jumlah desa titik panas Gi*",
        "Villages in a Gi* hot spot",
    ),
    (
        "recommended",
        "Direkomendasikan",
        "Recommended",
        "Jumlah desa yang direkomendasikan",
        "Villages recommended",
    ),
    (
        "coverage_gap_sum",
        "Jumlah kesenjangan cakupan",
        "Total coverage gap",
        "Jumlah kesenjangan cakupan desa",
        "Sum of the villages' coverage gaps",
    ),
    (
        "cases_min",
        "Kasus (minimum)",
        "Cases (lowest)",
        "Batas bawah jumlah kasus (sel kecil disembunyikan)",
        "Lowest possible case total (small cells suppressed)",
    ),
    (
        "cases_max",
        "Kasus (maksimum)",
        "Cases (highest)",
        "Batas atas jumlah kasus",
        "Highest possible case total",
    ),
    (
        "victims_min",
        "Korban (minimum)",
        "Victims (lowest)",
        "Batas bawah jumlah korban",
        "Lowest possible victim total",
    ),
    (
        "victims_max",
        "Korban (maksimum)",
        "Victims (highest)",
        "Batas atas jumlah korban",
        "Highest possible victim total",
    ),
];

/// A column's label and meaning in `lang`, if it is one of [`COLUMNS`].
pub fn column(lang: Lang, key: &str) -> Option<(&'static str, &'static str)> {
    COLUMNS
        .iter()
        .find(|c| c.0 == key)
        .map(
            |&(_, label_id, label_en, meaning_id, meaning_en)| match lang {
                Lang::Id => (label_id, meaning_id),
                Lang::En => (label_en, meaning_en),
            },
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every key has both languages, and no two keys say the same thing in both.
    #[test]
    fn entries_are_complete() {
        for key in [
            "risk_score",
            "report_summary",
            "reason_hot_spot",
            "term_input_rows",
        ] {
            assert_ne!(t(Lang::Id, key), key, "{key}");
            assert_ne!(t(Lang::En, key), key, "{key}");
        }
    }
}
