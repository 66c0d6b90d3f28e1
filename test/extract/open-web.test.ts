/**
 * Failure classes of extraction on real pages it was not tuned on (issue 12): each test
 * is a small self-written page of one class, and fails without the rule that fixes it.
 */
import { describe, expect, it } from 'vitest';
import { extractArticle } from '../../src/extract/extract-article.js';
import { extractPage } from '../../src/extract/extract-page.js';
import { ALL_PHRASES } from './fixtures.js';

const opts = { boilerplate: [] };
const sentences = (topic: string, n: number) =>
  Array.from(
    { length: n },
    (_, i) =>
      `The ${topic} note number ${i + 1} explains, in plain words and with some detail, how the thing works and why.`,
  );

describe('bare pages', () => {
  it('keeps text that sits directly under <body> (specs, docs, old sites)', () => {
    const [a, b, c] = sentences('protocol', 3);
    const html = `<html><head><title>A protocol draft</title></head><body>
      <span>[Docs] [txt|pdf]</span>
      <pre>${a}\n${b}</pre>
      ${c}<br>${a}<br><br>${b}
      </body></html>`;
    const r = extractArticle(html, opts);
    expect(r.status).toBe('ok');
    expect(r.text).toContain(a);
    expect(r.text).toContain(c);
  });
});

describe('prompts to the reader inside the body', () => {
  const story =
    'Un incendie a détruit samedi un entrepôt de pneus à Valcourt, a indiqué la préfecture, qui demande aux riverains de fermer leurs fenêtres.';
  const storyEn =
    'A fire destroyed a tyre warehouse in Valcourt on Saturday, the prefecture said, asking residents nearby to keep their windows shut.';

  it('drops the outlet asking its reader to follow, send or reload, in French and English', () => {
    const fr = extractArticle(
      `<html><body><article><p>${story}</p><p>Vous aimez nos dépêches ? Pour ne rien manquer, activez les alertes de l'application et choisissez vos sujets.</p>
      <p>Un témoin ? Envoyez-nous vos photos par la rubrique « Contact » du site : notre rédaction vous répondra.</p>
      <p>Cet article est mis à jour. Rechargez la page pour lire la suite.</p></article></body></html>`,
      opts,
    );
    expect(fr.text).toBe(story);
    const en = extractArticle(
      `<html><body><article><p>${storyEn}</p><p><strong>Enjoyed this?</strong> Follow The Valcourt Gazette online and get our app for alerts.</p>
      <p>Got a story? Our newsroom would love to hear from you: send us your pictures and we will reply.</p>
      <p>Like our briefs? Turn on notifications in the app.</p></article></body></html>`,
      opts,
    );
    expect(en.text).toBe(storyEn);
  });

  it('keeps a quoted appeal, a rhetorical question and prose that says "us"', () => {
    const keep = [
      'Police said: "Anyone who saw the car should contact us on the number below, please, as soon as they can."',
      'But if you are asking whether the plan can get us there, the answer is not yet clear to anyone involved.',
      'Monitoring tells us when the system is broken, and what is about to break, so a human can look at it.',
    ];
    const r = extractArticle(
      `<html><body><article><p>${storyEn}</p>${keep.map((p) => `<p>${p}</p>`).join('')}</article></body></html>`,
      opts,
    );
    for (const p of keep) expect(r.text).toContain(p);
  });
});

describe('class and id names: words, not substrings', () => {
  it('keeps sections whose ids are slugs of their headings, and "shared" is not "share"', () => {
    const [a, b, c, d] = sentences('history', 4);
    const html = `<html><body><div class="content"><h1>Shared mutable history</h1><p>${a}</p>
      <div class="section" id="sharing-with-one-developer"><h2>Sharing with one developer</h2><p>${b}</p><p>${a}</p></div>
      <div class="section" id="social-coding-with-reviews"><h2>Social coding with reviews</h2><p>${c}</p><p>${b}</p></div>
      <div class="section shared-history"><p>${d}</p><p>${c}</p></div>
      <div class="sharebar"><p>Share this page with everyone you know on every network.</p></div>
      <div class="newsletterbox"><p>Get the weekly letter in your inbox every Monday morning.</p></div>
      </div></body></html>`;
    const r = extractArticle(html, opts);
    for (const s of [a, b, c, d]) expect(r.text).toContain(s);
    expect(r.text).toContain('Sharing with one developer');
    expect(r.text).not.toContain('Share this page');
    expect(r.text).not.toContain('weekly letter');
  });
});

describe('class and id names inside a sentence', () => {
  it('keep the words of a sentence that a weak name marks (a link opening a popup), not screen-reader text', () => {
    const [a, b] = sentences('wall', 2);
    const html = `<html><body><article><p>${a}</p>
      <p>Strangely huddled at the base of the wall, <a href="#" class="popup">his knees drawn up</a>, and lying on his side, his head touching the cold stones, I saw him.</p>
      <p>The council published <a href="/r">the report<span class="visually-hidden"> (opens in a new window)</span></a> on Monday, with a comma, and a summary.</p>
      <p>${b}</p></article></body></html>`;
    const r = extractArticle(html, opts);
    expect(r.text).toContain(
      'Strangely huddled at the base of the wall, his knees drawn up, and lying on his side',
    );
    expect(r.text).toContain('The council published the report on Monday');
    expect(r.text).not.toContain('opens in a new window');
  });
});

describe('the container holds the text, whatever the names around', () => {
  it('a widget named "main" with a line of text does not beat the article', () => {
    const paras = sentences('launch', 3)
      .map((s) => `<p>${s}</p>`)
      .join('');
    const html = `<html><body>
      <div class="player"><div class="player-options-main"><div>Captions will look like this, in white</div></div></div>
      <div class="stream">${paras}</div></body></html>`;
    const r = extractArticle(html, opts);
    expect(r.text).toContain('launch note number 3');
    expect(r.text).not.toContain('Captions will look');
  });
});

describe('old table and <font> layouts', () => {
  const wire =
    'TOULOUSE, 13 sept 2024 (AFP) - Les pompiers ont maîtrisé vendredi un incendie qui avait détruit dans la nuit un entrepôt de palettes, sans faire de blessé, a indiqué la préfecture.';
  const next =
    'Le feu, parti vers deux heures du matin, a mobilisé une soixantaine de pompiers, et les riverains ont été invités à garder leurs fenêtres fermées à cause des fumées.';
  const page = (cell: string) =>
    `<html><head><title>La Gazette des Causses – Un entrepôt détruit par le feu</title></head><body><table><tr>
      <td><a href="/">Accueil</a><br><a href="/region">Région</a></td><td>${cell}</td></tr></table></body></html>`;
  const url = 'http://www.lagazettedescausses.example/article-42.html';

  it('the title with the site name first, and an agency stamp, do not open the body; the wire dateline does', () => {
    const r = extractArticle(
      page(
        `<font size="2"><b>Un entrepôt détruit par le feu</b><br>Publié le 13/09/2024 à 10h12 – La rédaction avec AFP<br>${wire}<br><br>${next}</font>`,
      ),
      { ...opts, url },
    );
    expect(r.title).toBe('Un entrepôt détruit par le feu');
    expect(r.text).toBe(`${wire}\n\n${next}`);
    expect(r.agency).toBe('AFP');
  });

  it('a stamp crediting the agency gives the agency when no dateline does', () => {
    const r = extractArticle(
      page(
        `<font size="4">Un entrepôt détruit par le feu</font><br><font size="1">13/09/2024 - 10:12 - Par la rédaction (avec AFP)</font><p>${next}</p><p>${next}</p>`,
      ),
      opts,
    );
    expect(r.text).toBe(`${next}\n\n${next}`);
    expect(r.agency).toBe('AFP');
  });
});

describe('article in script state', () => {
  it('uses the JSON-LD articleBody when the visible HTML holds only a caption of it', () => {
    const body = sentences('council', 8);
    const ld = JSON.stringify({
      '@type': 'NewsArticle',
      headline: 'Council votes',
      articleBody: body.join('\n\n'),
    });
    const html = `<html><head><script type="application/ld+json">${ld}</script></head><body><div id="root">
      <div class="hero"><p>The council chamber on Tuesday evening, before the vote on the new budget plan.</p></div>
      </div></body></html>`;
    const r = extractArticle(html, opts);
    expect(r.text.split('\n\n')).toEqual(body);
  });

  it('keeps the visible article when it is there, even if the articleBody is longer', () => {
    const body = sentences('council', 8);
    const ld = JSON.stringify({ '@type': 'NewsArticle', articleBody: [...body, ...body].join('\n\n') });
    const html = `<html><head><script type="application/ld+json">${ld}</script></head><body><article>${body
      .map((p) => `<p>${p}</p>`)
      .join('')}</article></body></html>`;
    expect(extractArticle(html, opts).text.split('\n\n')).toEqual(body);
  });
});

describe('an article split over sibling parts', () => {
  it('keeps a part built like the chosen one even when its paragraphs sit too deep to score it', () => {
    const deep = (ps: string[]) =>
      `<div class="part"><div><div><div><section><div><div>${ps.map((p) => `<p>${p}</p>`).join('')}</div></div></section></div></div></div></div>`;
    const first = sentences('opening', 2);
    const second = sentences('middle', 8);
    const html = `<html><body><div class="wrap"><div class="head"><p>Posted in the science section of the site, with its editors, and more.</p></div>
      ${deep(first)}<figure><figcaption>A picture of the lab</figcaption></figure>
      <div class="part">${second.map((p) => `<p>${p}</p>`).join('')}</div></div>
      <div class="extra"><p>Another text block of the page, with a comma, that is not the article.</p></div></body></html>`;
    const r = extractArticle(html, opts);
    for (const p of [...first, ...second]) expect(r.text).toContain(p);
  });
});

describe('photo galleries', () => {
  it('drops a gallery of other stories inside the body, even when it outweighs the story', () => {
    const story = sentences('hotel', 3);
    const legends = Array.from(
      { length: 12 },
      (_, i) =>
        `<li><h2><span class="counter">${i + 1}/12</span> Story number ${i + 1}</h2><p>A caption about another story entirely, number ${i + 1}, with its own long description of what the picture shows.</p><p class="credits">AGENCY</p></li>`,
    ).join('');
    const html = `<html><body><article><div class="text-wrapper">${story.map((p) => `<p>${p}</p>`).join('')}
      <div class="gallery"><ul class="legends">${legends}</ul></div></div></article></body></html>`;
    const r = extractArticle(html, opts);
    expect(r.text.split('\n\n')).toEqual(story);
  });

  const figures = (n: number) =>
    Array.from(
      { length: n },
      (_, i) =>
        `<figure class="gallery__item"><img src="${i}.jpg" alt=""><figcaption><span class="gallery__caption">Picture ${i + 1} shows the flooded square from the bell tower at dawn.</span> <span class="gallery__credit">Picture: Agency</span></figcaption></figure>`,
    ).join('');

  it("keeps a gallery page's captions, which are its text, without their photo credits", () => {
    const [lead] = sentences('flood', 1);
    const html = `<html><body><article><h1>In pictures: the flood</h1><div class="gallery"><p>${lead}</p>${figures(6)}</div>
      <div class="share"><a href="#">Share</a></div></article></body></html>`;
    const r = extractArticle(html, opts);
    const paragraphs = r.text.split('\n\n');
    expect(paragraphs[0]).toBe(lead);
    expect(paragraphs).toHaveLength(7);
    expect(paragraphs[6]).toBe('Picture 6 shows the flooded square from the bell tower at dawn.');
    expect(r.text).not.toContain('Picture: Agency');
  });

  it('drops the captions of a slideshow above a story told in prose', () => {
    const story = sentences('flood', 8);
    const html = `<html><body><article><h1>The flood</h1><div class="slideshow">${figures(4)}</div>
      ${story.map((p) => `<p>${p}</p>`).join('')}</article></body></html>`;
    const r = extractArticle(html, opts);
    expect(r.text.split('\n\n')).toEqual(story);
  });
});

describe('teaser cards', () => {
  it('a table whose rows link their first cell is data of the article, not a grid of cards', () => {
    const rows = ['Farm game', 'Map viewer', 'Voice reader', 'Photo editor']
      .map(
        (app, i) =>
          `<tr><td><a href="/apps/${i}">${app} for phones</a></td><td>${20 + i}.4 MB, down ${40 + i}% since the last release of the app</td></tr>`,
      )
      .join('');
    const [a, b] = sentences('size', 2);
    const html = `<html><body><article><p>${a}</p><table>${rows}</table><p>${b}</p></article>
      <div class="extra"><p>${sentences('other', 3).join(' ')}</p></div></body></html>`;
    const r = extractArticle(html, opts);
    expect(r.text).toContain('22.4 MB, down 42%');
    expect(r.text).toContain('23.4 MB, down 43%');
  });
});

describe('article in app state', () => {
  const story = sentences('harbour', 7);
  const nextPage = (state: unknown) =>
    `<html><head><title>Harbour works</title></head><body><div id="__next"><figure><img src="a.jpg"><figcaption>The harbour at dawn</figcaption></figure>
      <p>Work on the harbour wall starts on Monday and should last the whole summer season.</p></div>
      <script id="__NEXT_DATA__" type="application/json">${JSON.stringify(state)}</script></body></html>`;

  it('reads the story from __NEXT_DATA__ when the visible HTML has only a caption and a teaser', () => {
    const state = {
      props: {
        pageProps: { article: { title: 'Harbour works', body: story.map((p) => `<p>${p}</p>`).join('') } },
      },
    };
    const fromHtml = extractArticle(nextPage(state), opts);
    expect(fromHtml.text.split('\n\n')).toEqual(story);
    const fromBytes = extractPage(Buffer.from(nextPage(state), 'utf8'), opts);
    expect(fromBytes.text.split('\n\n')).toEqual(story);
  });

  it('leaves a page alone whose state holds no story', () => {
    const r = extractArticle(nextPage({ props: { pageProps: { menu: ['Home', 'News'] } } }), opts);
    expect(r.text).not.toContain('harbour note');
  });
});

describe('a class name alone never removes the article', () => {
  it('keeps the article whose wrapper names a newsletter, ads or a widget, when it is where the text is', () => {
    const story = sentences('story', 4);
    const other = sentences('other', 6).join(' ');
    for (const wrapper of [
      '<div class="post category-no-newsletter-rss">',
      '<div class="widget Blog" id="Blog1">',
      '<div class="cmp-text">',
    ]) {
      const html = `<html><body>${wrapper}${story.map((p) => `<p>${p}</p>`).join('')}</div>
        <div class="extra"><p>${other}</p></div></body></html>`;
      const r = extractArticle(html, opts);
      for (const p of story) expect(r.text, wrapper).toContain(p);
    }
  });

  it('keeps a section of the text beside the one found, when its name sounds like a box ("more-features")', () => {
    const intro = sentences('editor', 4);
    const tools = sentences('tool', 4);
    const section = (ps: string[]) => ps.map((p, i) => `<li><h2>Tool ${i + 1}</h2><p>${p}</p></li>`).join('');
    const html = `<html><body><main><section class="intro"><ul class="features">${section(intro)}</ul></section>
      <section class="more-features"><div><h2>Features and tools</h2><ul class="features">${section(tools)}</ul></div></section>
      </main><footer><p>${sentences('footer', 1)[0]}</p></footer></body></html>`;
    const r = extractArticle(html, opts);
    for (const p of [...intro, ...tools]) expect(r.text).toContain(p);
  });

  it("does not take in a box of links, or an author's note, inside a short story's <article>", () => {
    const story = sentences('brief', 5);
    const links = Array.from(
      { length: 8 },
      (_, i) =>
        `<li><a href="/s/${i}">Another story of the same series, part number ${i + 1}, to read now</a></li>`,
    ).join('');
    for (const box of [
      `<div class="more-stories"><ul>${links}</ul><p>And a last line about them.</p></div>`,
      `<div class="author-note"><h3>About the author</h3><p>${sentences('author', 2).join(' ')}</p><p>${sentences('book', 1)}</p></div>`,
    ]) {
      const html = `<html><body><article>${story.map((p) => `<p>${p}</p>`).join('')}${box}</article></body></html>`;
      expect(extractArticle(html, opts).text.split('\n\n'), box).toEqual(story);
    }
  });

  it('takes no second look at a grid of teaser cards that a name dropped, however long their excerpts', () => {
    const story = sentences('brief', 3);
    const cards = sentences('excerpt', 8)
      .map(
        (p, i) =>
          `<div class="card"><h3><a href="/s/${i}">Another story of the day, number ${i + 1}</a></h3><p>${p}</p></div>`,
      )
      .join('');
    const html = `<html><body><article>${story.map((p) => `<p>${p}</p>`).join('')}</article>
      <section class="related">${cards}</section></body></html>`;
    expect(extractArticle(html, opts).text.split('\n\n')).toEqual(story);
  });

  it('still drops a newsletter box and a comment thread beside the article', () => {
    const story = sentences('story', 5);
    const html = `<html><body><article>${story.map((p) => `<p>${p}</p>`).join('')}</article>
      <div class="newsletter-box"><p>${sentences('letter', 2).join(' ')}</p></div>
      <section class="comments">${sentences('comment', 6)
        .map((p) => `<p>${p}</p>`)
        .join('')}</section></body></html>`;
    const r = extractArticle(html, opts);
    expect(r.text.split('\n\n')).toEqual(story);
  });
});

describe('runs of entries built alike', () => {
  const post = (time: string, title: string, paras: string[]) =>
    `<li class="feed-entry"><div class="feed-entry__meta"><time>${time}</time></div><h2>${title}</h2><div class="feed-entry__text">${paras
      .map((p) => `<p>${p}</p>`)
      .join('')}</div></li>`;
  const lead = [
    'Flood barriers were raised along the river at Dunmere overnight as the water rose by almost two metres, the county council said on Tuesday morning.',
    'About 400 homes in the low-lying streets near the old mill were asked to leave, and a school gym opened to take in those with nowhere else to go.',
  ];
  const later = [
    'The water began to fall shortly after noon, engineers at the Dunmere lock said, though fields upstream remained under half a metre of water.',
    'Buses replaced trains between Dunmere and Harlow Cross for the rest of the day because the line runs along the embankment by the river.',
    'Volunteers from the rowing club carried sandbags to the houses on Mill Lane, where the water reached the front steps before dawn on Tuesday.',
  ];

  it('takes every post of a live page, not only its longest one', () => {
    const html = `<html><body><header><nav><a href="/">Home</a> <a href="/news">News</a></nav></header>
      <article><h1>Live: Dunmere flooding</h1><section class="live"><ol class="feed">
      ${post('16:10', 'Water falling', [later[0]!])}
      ${post('13:40', 'Trains replaced', [later[1]!])}
      ${post('11:05', 'Sandbags on Mill Lane', [later[2]!])}
      ${post('08:30', 'What we know', lead)}
      </ol></section></article>
      <footer><a href="/about">About us</a></footer></body></html>`;
    const r = extractArticle(html, opts);
    expect(r.status).toBe('ok');
    for (const p of [...lead, ...later]) expect(r.text).toContain(p);
  });
});

describe('notes about the page itself', () => {
  const story = [
    'Les pompiers du Valcourt ont maîtrisé dans la soirée le feu qui avait pris dans un entrepôt de pneus, sans faire de blessé, selon la préfecture.',
    'Les riverains ont été invités à garder leurs fenêtres fermées jusqu’au lendemain matin à cause des fumées noires.',
  ];
  const storyEn = [
    'Firefighters in Valcourt put out the blaze at a tyre warehouse in the evening, and nobody was hurt, the prefecture said.',
    'People living nearby were told to keep their windows shut until the next morning because of the black smoke.',
  ];

  it('drops a line saying the page, live or story is being updated or has ended, in French and English', () => {
    for (const [paras, notes] of [
      [
        story,
        ['Ce direct est actualisé automatiquement.', 'Cette page sera mise à jour au fil de la soirée.'],
      ],
      [storyEn, ['This live blog is updated automatically.', 'This story has been updated.']],
    ] as const) {
      const html = `<html><body><article><p>${notes[1]}</p>${paras.map((p) => `<p>${p}</p>`).join('')}<p>${notes[0]}</p></article></body></html>`;
      expect(extractArticle(html, opts).text.split('\n\n')).toEqual(paras);
    }
  });

  it('drops the page saying its script did not run, and a call to share the story', () => {
    const html = `<html><body><article><p>${storyEn[0]}</p><p>This slideshow requires JavaScript.</p><p>${storyEn[1]}</p>
      <p>Like this story? Share it with a friend!</p><p>Veuillez activer JavaScript pour voir les commentaires.</p></article></body></html>`;
    expect(extractArticle(html, opts).text.split('\n\n')).toEqual(storyEn);
  });

  const expectKept = (keep: string[]) => {
    const html = `<html><body><article>${[...storyEn, ...keep].map((p) => `<p>${p}</p>`).join('')}</article></body></html>`;
    const r = extractArticle(html, opts);
    for (const p of keep) expect(r.text).toContain(p);
  };

  it('keeps news about JavaScript and about sharing', () => {
    expectKept([
      'The new version of the browser no longer requires JavaScript to be enabled for its settings page, the developers said.',
      'Share prices fell 3 percent in early trade, the company told us, after the warning.',
    ]);
  });

  it('keeps news that an article, page or report of someone else was updated', () => {
    expectKept([
      'Cet article du code pénal a été mis à jour en 2019 pour punir plus durement les incendies volontaires.',
      'This page of the council website was updated on Monday to list the closed roads.',
    ]);
  });
});

describe('the article opened over another page', () => {
  it("reads the page's only article from an overlay its name drops, over a longer stream of stories behind it", () => {
    const story = sentences('cargo ship', 6);
    const stream = Array.from(
      { length: 14 },
      (_, i) =>
        `<li class="stream-item"><h3><a href="/news/${i}">Headline of the other story ${i}</a></h3><p>Summary ${i} of another story in the stream behind, which is long enough to read as prose, with a comma, and it goes on for a while.</p></li>`,
    ).join('');
    const html = `<html class="modal-open"><body><div id="app"><div class="stream"><ul>${stream}</ul></div>
      <div id="render-target-modal" class="render-target-modal modal-open"><div class="modal-body">
      <article data-type="story"><h1>A cargo ship breaks up</h1>${story.map((p) => `<p>${p}</p>`).join('')}</article>
      </div></div></div></body></html>`;
    const r = extractArticle(html, opts);
    expect(r.text.split('\n\n')).toEqual(story);
  });

  it('leaves a sidebar alone that holds the only <article>, a long teaser of another story', () => {
    const story = sentences('budget', 10);
    const teaser = sentences('teaser', 5).join(' ');
    const html = `<html><body><div class="story">${story.map((p) => `<p>${p}</p>`).join('')}</div>
      <div class="sidebar"><article><h2>Featured</h2><p>${teaser}</p></article></div></body></html>`;
    expect(extractArticle(html, opts).text.split('\n\n')).toEqual(story);
  });

  it('still drops a newsletter overlay when the story is the article', () => {
    const story = sentences('harbour', 5);
    const html = `<html><body><article>${story.map((p) => `<p>${p}</p>`).join('')}</article>
      <div class="modal newsletter-modal"><p>${sentences('letter', 3).join(' ')}</p></div></body></html>`;
    expect(extractArticle(html, opts).text.split('\n\n')).toEqual(story);
  });
});

describe('formulas', () => {
  it('keeps the text of MathML formulas, token by token, without their TeX annotation or a hidden copy', () => {
    const [a, b] = sentences('equation', 2);
    const quadratic =
      '<math><semantics><mrow><mi>a</mi><msup><mi>x</mi><mn>2</mn></msup><mo>+</mo><mi>b</mi><mi>x</mi><mo>+</mo><mi>c</mi><mo>=</mo><mn>0</mn></mrow><annotation encoding="application/x-tex">ax^2+bx+c=0</annotation></semantics></math>';
    // MathJax wraps each formula in an element named for the context menu it attaches.
    const inline =
      '<mjx-container class="MathJax CtxtMenu_Attached_0"><mjx-math aria-hidden="true"><mjx-mi></mjx-mi></mjx-math><mjx-assistive-mml><math><mi>a</mi><mo>≠</mo><mn>0</mn></math></mjx-assistive-mml></mjx-container>';
    const html = `<html><body><article><p>${a}</p><p>When ${inline}, there are two solutions to ${quadratic} and they are</p>
      <p><span style="display: none"><math><mi>z</mi><mo>=</mo><mn>7</mn></math></span><img alt="z=7" src="f.png"> ${b}</p></article></body></html>`;
    const r = extractArticle(html, opts);
    expect(r.text).toContain('When a ≠ 0, there are two solutions to a x 2 + b x + c = 0 and they are');
    expect(r.text).not.toContain('ax^2');
    expect(r.text).not.toContain('z = 7');
  });
});

describe('line breaks in the source', () => {
  it('are spaces outside <pre>: a wrapped line is never judged alone, and the paragraph stays one line', () => {
    const html = `<html><body><article><p>Le ministre a confirmé jeudi, selon une
      source
      proche du dossier, que la ligne rouvrirait en mars, après deux ans de travaux
      sur le viaduc.</p><p>Les usagers attendaient cette date depuis longtemps, disent les associations.</p>
      <pre>line one
line two</pre></article></body></html>`;
    const r = extractArticle(html, { boilerplate: ALL_PHRASES });
    expect(r.text.split('\n\n')[0]).toBe(
      'Le ministre a confirmé jeudi, selon une source proche du dossier, que la ligne rouvrirait en mars, après deux ans de travaux sur le viaduc.',
    );
    expect(r.text).toContain('line one\nline two');
  });
});

describe("a story's own header", () => {
  const lead =
    'The council will vote next week on a plan that would close two of the three libraries in town, and residents are angry about it.';
  const body = sentences('library', 4);

  it('keeps its standfirst, without the labels, byline and date beside the headline', () => {
    for (const head of [
      `<header><a class="kicker" href="/politics">Politics</a><h1>Libraries to close</h1><p class="standfirst">${lead}</p><p>By Jane Doe</p><time>March 12, 2025 10:04 AM</time></header>`,
      `<header><div><span class="label">Exclusive</span><span class="label">Live</span><h1>Libraries to close</h1><div class="lead">${lead}</div></div><div class="meta"><span>Jane Doe</span> <span>5 min read</span></div></header>`,
    ]) {
      const html = `<html><head><meta name="author" content="Jane Doe"></head><body>
        <header class="site"><p>The Valcourt Gazette, news from the valley and the hills around it since 1898.</p></header>
        <main><article>${head}${body.map((p) => `<p>${p}</p>`).join('')}</article></main></body></html>`;
      expect(extractArticle(html, opts).text.split('\n\n'), head).toEqual([lead, ...body]);
    }
  });
});

describe('headings that link their subject', () => {
  const games = ['Harbour Tycoon ($30)', 'Night Rally ($20)', 'Moss Garden ($15)'];
  const reviews = sentences('review', 3);

  it("head a round-up's sections when several have text under them", () => {
    const html = `<html><body><article><p>${sentences('intro', 1)[0]}</p>${games
      .map((g, i) => `<h3><a href="/g/${i}">${g}</a></h3><p>${reviews[i]}</p>`)
      .join('')}</article></body></html>`;
    const r = extractArticle(html, opts);
    for (const g of games) expect(r.text).toContain(g);
  });

  it('are dropped alone in the text (a link to another story) or as a list with nothing under them', () => {
    const story = sentences('story', 4);
    const html = `<html><body><article><p>${story[0]}</p><p>${story[1]}</p><h3><a href="/other">Another story of the day, read it now</a></h3>
      <p>${story[2]}</p><p>${story[3]}</p>${games.map((g, i) => `<h4><a href="/g/${i}">${g}</a></h4>`).join('')}</article></body></html>`;
    expect(extractArticle(html, opts).text.split('\n\n')).toEqual(story);
  });
});

describe('a <head> that the page never closes', () => {
  it('ends at the first tag a head cannot hold, as in a browser, so content after it is read', () => {
    const story = sentences('harbour', 3);
    for (const html of [
      `<html><head><title>Harbour works</title><meta name="author" content="Jane Doe"><link rel="icon" href="/i.png"><div class="story">${story.map((p) => `<p>${p}</p>`).join('')}</div></body></html>`,
      `<html><head><title>Harbour works</title><p>${story[0]}</p><p>${story[1]}</p><p>${story[2]}</p>`,
    ]) {
      for (const r of [extractArticle(html, opts), extractPage(Buffer.from(html, 'utf8'), opts)]) {
        expect(r.status).toBe('ok');
        expect(r.text.split('\n\n')).toEqual(story);
        expect(r.title).toBe('Harbour works');
      }
    }
  });
});

describe('bullet points that link a phrase', () => {
  it('keeps a list item that is a clause of its own around its link, full stop or not', () => {
    const story = sentences('release', 4);
    const items = [
      'Thanks to a volunteer, users can now <a href="/b/1">import saved logins from other managers</a>',
      'The team has patches up to <a href="/b/2">improve how idle tabs are unloaded</a>',
      'A contributor fixed <a href="/b/3">an issue with revoked permissions</a> for extensions',
    ];
    const html = `<html><body><article>${story.map((p) => `<p>${p}</p>`).join('')}
      <ul>${items.map((i) => `<li>${i}</li>`).join('')}</ul>
      <p>Suivez-nous sur <a href="/tw">Twitter</a></p>
      <p>Write to Jo Doe at <a href="mailto:jo">jo.doe.reporter@newsroom.example.test</a></p></article></body></html>`;
    const r = extractArticle(html, opts);
    expect(r.text).toContain('Thanks to a volunteer, users can now import saved logins from other managers');
    expect(r.text).toContain('The team has patches up to improve how idle tabs are unloaded');
    // a call to follow a link is not a clause of its own
    expect(r.text).not.toContain('Suivez-nous');
    expect(r.text).not.toContain('Write to Jo Doe');
  });
});

describe('tables of works', () => {
  it("keeps a data table's cells that link their subject, beside the year and description", () => {
    const story = sentences('film', 3);
    const rows = ['Repeat Day', 'The Long Return', 'A Second Summer', 'Clockwork Harbour']
      .map(
        (t, i) =>
          `<tr><th><i><a href="/wiki/${i}">${t}</a></i></th><td>19${50 + i}</td><td>A story about a town that lives one day again and again, number ${i}.</td></tr>`,
      )
      .join('');
    const menu = `<table><tr><td><a href="/a">Home</a> <a href="/b">News</a> <a href="/c">Sport</a> <a href="/d">Culture</a></td><td></td></tr></table>`;
    const html = `<html><body>${menu}<article>${story.map((p) => `<p>${p}</p>`).join('')}
      <table><thead><tr><th>Film</th><th>Year</th><th>Description</th></tr></thead><tbody>${rows}</tbody></table></article></body></html>`;
    const r = extractArticle(html, opts);
    expect(r.text).toContain('The Long Return');
    expect(r.text).toContain('Clockwork Harbour');
    expect(r.text).not.toContain('Culture');
  });
});

describe('lists of text', () => {
  const notes = [
    'We have just landed a fix which stops an update from starting while another instance is running.',
    'The team also made the toolbar start later in the startup window, which saves a little time.',
    'Work on the new profiler markers goes on, and the documentation for them is now published.',
  ];
  it('keep their items that are only a link, and the sub-list of links an item of them opens', () => {
    const html = `<html><body><article><p>${sentences('release', 2).join(' ')}</p><ul>
      <li><a href="/review">Here is our year in review!</a></li>
      ${notes.map((n) => `<li>${n}</li>`).join('')}
      <li>In progress:<ul><li><a href="/b/1">Bug 1677080 – Fullscreen window moves when the source changes</a></li>
        <li><a href="/b/2">Bug 1677107 – Add telemetry for the new window</a></li></ul></li>
      </ul></article></body></html>`;
    const r = extractArticle(html, opts);
    expect(r.text).toContain('Here is our year in review!');
    expect(r.text).toContain('Bug 1677080 – Fullscreen window moves when the source changes');
    expect(r.text).toContain('Bug 1677107 – Add telemetry for the new window');
  });

  it('do not take in a list of links, nor one of links with a few words beside each', () => {
    const story = sentences('story', 4);
    const links = (words: string) =>
      Array.from(
        { length: 5 },
        (_, i) => `<li>${words}<a href="/s/${i}">Another story of the day, number ${i + 1}</a></li>`,
      ).join('');
    for (const list of [links(''), links('Read this one too: ')]) {
      const html = `<html><body><article>${story.map((p) => `<p>${p}</p>`).join('')}<ul>${list}</ul></article></body></html>`;
      expect(extractArticle(html, opts).text.split('\n\n'), list).toEqual(story);
    }
  });
});

describe('section titles set as <h1>', () => {
  it('head the sections after the text has begun; the <h1> above it is the headline', () => {
    const [a, b, c, d] = sentences('section', 4);
    const html = `<html><body><article><h1>How the harbour works</h1><p>${a}</p><p>${b}</p>
      <h1>Memory leaks in action</h1><p>${c}</p><h1>What about existing solutions?</h1><p>${d}</p></article></body></html>`;
    expect(extractArticle(html, opts).text.split('\n\n')).toEqual([
      a,
      b,
      'Memory leaks in action',
      c,
      'What about existing solutions?',
      d,
    ]);
  });
});

describe('links a script drives', () => {
  it('one that wraps paragraphs is a toggle around text, not a link; a share button stays a link', () => {
    const story = sentences('toggle', 3);
    const html = `<html><body><article><a href="javascript:void(0)">${story.map((p) => `<p>${p}</p>`).join('')}</a>
      <p><a href="javascript:share()">Facebook</a> <a href="javascript:share()">Twitter</a> <a href="javascript:close()">Close</a></p>
      </article></body></html>`;
    expect(extractArticle(html, opts).text.split('\n\n')).toEqual(story);
  });
});
