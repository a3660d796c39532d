/*
 * Crumbless consent banner (optional, never part of the tracker bundle):
 *   <script defer src=".../banner.js" data-site="example.com"></script>
 *
 * It asks for the purposes the site's policy leaves to the visitor, with
 * "Accept all" and "Reject all" of equal weight and a per-purpose choice,
 * stores only the visitor's choice (localStorage 'crumbless_consent', a
 * strictly necessary choice store) and hands it to the tracker with
 * crumbless('consent', {source: 'banner', ...}) on every page, as consent signals must be
 * given again on each page. It asks again when the site bumps its policy
 * revision or the choice is older than the policy's validity.
 *
 * Optional: data-lang="fr" (default: the page's lang, then the browser's),
 * data-privacy="/privacy" (a link in the text). window.crumblessConsent.open()
 * shows it again, so that withdrawing is as easy as giving.
 * Texts: built in for en, fr and de; override or add languages with
 * window.crumblessBannerTexts = {en: {title: '...', ...}} before this script.
 */
(function () {
  var script = document.currentScript;
  var site = script && script.getAttribute('data-site');
  if (!site || !script.src) return;
  var KEY = 'crumbless_consent';
  var texts = {
    en: {
      title: 'Your privacy',
      text: 'We count visits without cookies. With your permission we would also like to:',
      accept: 'Accept all', reject: 'Reject all', choose: 'Choose', save: 'Save choices', privacy: 'Privacy policy',
      measurement: 'Measure how this site is used', analytics: 'Recognise your device on later visits',
      interaction: 'Record how you interact with pages', marketing: 'Measure our campaigns with advertisers'
    },
    fr: {
      title: 'Votre vie privée',
      text: 'Nous comptons les visites sans cookies. Avec votre accord, nous aimerions aussi :',
      accept: 'Tout accepter', reject: 'Tout refuser', choose: 'Choisir', save: 'Enregistrer', privacy: 'Politique de confidentialité',
      measurement: 'Mesurer l’utilisation du site', analytics: 'Reconnaître votre appareil lors de vos prochaines visites',
      interaction: 'Enregistrer vos interactions avec les pages', marketing: 'Mesurer nos campagnes avec des annonceurs'
    },
    de: {
      title: 'Ihre Privatsphäre',
      text: 'Wir zählen Besuche ohne Cookies. Mit Ihrer Zustimmung möchten wir außerdem:',
      accept: 'Alle akzeptieren', reject: 'Alle ablehnen', choose: 'Auswählen', save: 'Auswahl speichern', privacy: 'Datenschutzerklärung',
      measurement: 'Messen, wie diese Website genutzt wird', analytics: 'Ihr Gerät bei späteren Besuchen wiedererkennen',
      interaction: 'Aufzeichnen, wie Sie mit Seiten interagieren', marketing: 'Unsere Kampagnen mit Werbepartnern messen'
    }
  };
  var custom = window.crumblessBannerTexts || {};
  Object.keys(custom).forEach(function (lang) {
    texts[lang] = Object.assign({}, texts[lang] || texts.en, custom[lang]);
  });
  var lang = [script.getAttribute('data-lang'), document.documentElement.lang, navigator.language, 'en']
    .map(function (l) { return (l || '').toLowerCase().split('-')[0]; })
    .filter(function (l) { return texts[l]; })[0];
  var t = texts[lang];

  // The policy's encoding (consent/encode.go): basis letter first ('e'
  // exempt, 'c' consent), the five purpose caps at 5..9 ('D' = the site turned
  // it off), then '.revision.wait.validityDays.'.
  var purposes = ['necessary', 'measurement', 'analytics', 'interaction', 'marketing'];
  var policy, asked, revision, validityDays;

  function api() {
    window.crumbless = window.crumbless || function () {
      (window.crumbless.q = window.crumbless.q || []).push(arguments);
    };
    return window.crumbless;
  }

  function stored() {
    try {
      var s = JSON.parse(localStorage.getItem(KEY));
      if (s && s.r === revision && Date.now() - s.t < validityDays * 864e5) return s.c;
    } catch (e) {}
  }

  function decide(choice) {
    try {
      localStorage.setItem(KEY, JSON.stringify({ r: revision, t: Date.now(), c: choice }));
    } catch (e) {}
    tell(choice);
    close();
  }

  // The tracker accepts a grant only from the site's authoritative source;
  // source: 'banner' says this one is the built-in banner.
  function tell(choice) {
    api()('consent', Object.assign({ source: 'banner' }, choice));
  }

  function all(state) {
    var c = {};
    asked.forEach(function (p) { c[p] = state; });
    return c;
  }

  var box, lastFocus;
  function close() {
    if (box) box.remove();
    box = null;
    if (lastFocus && lastFocus.focus) lastFocus.focus();
  }

  function el(tag, css, text) {
    var e = document.createElement(tag);
    if (css) e.style.cssText = css; // CSSOM: allowed under a strict style-src
    if (text) e.textContent = text;
    return e;
  }

  var buttonCss = 'font:inherit;padding:.55em 1.1em;margin:.25em .5em .25em 0;border:1px solid #333;border-radius:.35em;background:#fff;color:#111;cursor:pointer;min-width:9em';

  function open() {
    if (box || !asked) return;
    lastFocus = document.activeElement;
    box = el('div', 'position:fixed;left:1em;right:1em;bottom:1em;max-width:38em;margin:auto;z-index:2147483647;background:#fff;color:#111;border:1px solid #999;border-radius:.5em;padding:1em 1.2em;box-shadow:0 .3em 1.2em rgba(0,0,0,.25);font:15px/1.45 system-ui,sans-serif');
    box.setAttribute('role', 'dialog');
    box.setAttribute('aria-modal', 'false');
    box.setAttribute('aria-labelledby', 'crumbless-consent-title');
    box.setAttribute('aria-describedby', 'crumbless-consent-text');
    box.setAttribute('lang', lang);
    box.tabIndex = -1;
    var title = el('h2', 'font-size:1.1em;margin:0 0 .4em', t.title);
    title.id = 'crumbless-consent-title';
    var text = el('p', 'margin:0 0 .5em', t.text);
    text.id = 'crumbless-consent-text';
    var list = el('ul', 'margin:0 0 .6em;padding-left:1.2em');
    var boxes = {};
    asked.forEach(function (p) {
      var li = el('li', 'margin:.15em 0');
      var label = el('label', 'cursor:pointer');
      var input = el('input', 'display:none;margin-right:.5em');
      input.type = 'checkbox';
      input.name = p;
      boxes[p] = input;
      label.appendChild(input);
      label.appendChild(document.createTextNode(t[p]));
      li.appendChild(label);
      list.appendChild(li);
    });
    box.appendChild(title);
    box.appendChild(text);
    box.appendChild(list);
    var privacy = script.getAttribute('data-privacy');
    if (privacy) {
      var a = el('a', 'color:inherit', t.privacy);
      a.href = privacy;
      box.appendChild(el('p', 'margin:0 0 .5em')).appendChild(a);
    }
    var row = el('div');
    // Accept and reject have the same weight: same style, same size, side by side.
    [['accept', function () { decide(all('granted')); }],
      ['reject', function () { decide(all('denied')); }],
      ['choose', function () {
        if (this.dataset.save) {
          var c = {};
          asked.forEach(function (p) { c[p] = boxes[p].checked ? 'granted' : 'denied'; });
          return decide(c);
        }
        asked.forEach(function (p) { boxes[p].style.display = 'inline'; });
        this.textContent = t.save;
        this.dataset.save = 1;
        boxes[asked[0]].focus();
      }]
    ].forEach(function (b) {
      var button = el('button', buttonCss, t[b[0]]);
      button.type = 'button';
      button.name = b[0];
      button.addEventListener('click', b[1]);
      row.appendChild(button);
    });
    box.appendChild(row);
    document.body.appendChild(box);
    box.focus(); // screen readers announce the dialog; Tab reaches the buttons next
  }

  window.crumblessConsent = { open: open };

  function start(encoded) {
    policy = encoded.split('\n')[0];
    var parts = policy.split('.');
    revision = +parts[1] || 0;
    validityDays = +parts[3] || 390;
    asked = purposes.filter(function (p, i) {
      // Measurement is asked only where the site measures on consent, not on the exemption.
      return i > 0 && policy[5 + i] != 'D' && (p != 'measurement' || policy[0] == 'c');
    });
    if (!asked.length) return;
    var choice = stored();
    if (choice) tell(choice);
    else if (document.body) open();
    else document.addEventListener('DOMContentLoaded', open);
  }

  fetch(new URL('/c?site=' + encodeURIComponent(site), script.src), { credentials: 'omit' })
    .then(function (r) { return r.ok ? r.text() : ''; })
    .then(function (encoded) { if (encoded) start(encoded); })
    .catch(function () {});
})();
