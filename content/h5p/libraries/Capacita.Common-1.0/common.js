/*
 * Capacita.Common 1.0 — helpers shared by Capacita's own H5P content types.
 * MIT License, (c) Regional Coalition against Trafficking in Persons and Smuggling of Migrants.
 *
 * Everything a learner reads is set with textContent, never innerHTML: content.json strings are plain text.
 */
(function (Capacita) {
  'use strict';

  var idCounter = 0;

  /** UI labels every Capacita type shares, per language; a type adds its own and content.json `l10n` overrides them. */
  var SHARED_LABELS = {
    es: {
      check: 'Comprobar',
      retry: 'Intentar de nuevo',
      showSolution: 'Mostrar solución',
      correct: 'Correcto',
      incorrect: 'Incorrecto',
      score: 'Puntuación: :score de :max.',
      allCorrect: '¡Muy bien! Todas las respuestas son correctas.',
    },
    en: {
      check: 'Check',
      retry: 'Try again',
      showSolution: 'Show solution',
      correct: 'Correct',
      incorrect: 'Incorrect',
      score: 'Score: :score out of :max.',
      allCorrect: 'Well done! All answers are correct.',
    },
  };

  /**
   * Creates an element. `attrs` keys: `text` (textContent), `className`, `hidden`, `on<Event>` (listener),
   * anything else is set as an attribute (booleans add/remove the attribute).
   */
  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    attrs = attrs || {};
    Object.keys(attrs).forEach(function (key) {
      var value = attrs[key];
      if (value === undefined || value === null) return;
      if (key === 'text') node.textContent = String(value);
      else if (key === 'className') node.className = value;
      else if (key === 'hidden') node.hidden = !!value;
      else if (key.slice(0, 2) === 'on' && typeof value === 'function') node.addEventListener(key.slice(2).toLowerCase(), value);
      else if (value === true) node.setAttribute(key, '');
      else if (value === false) node.removeAttribute(key);
      else node.setAttribute(key, String(value));
    });
    (children || []).forEach(function (child) {
      if (child === null || child === undefined || child === false) return;
      node.appendChild(typeof child === 'string' ? document.createTextNode(child) : child);
    });
    return node;
  }

  /** A document-unique id for label/control pairs. */
  function uniqueId(prefix) {
    idCounter += 1;
    return (prefix || 'capacita') + '-' + idCounter;
  }

  /** The package's language: the metadata the player passes, else the page's language; 'es' when unknown. */
  function languageOf(extras) {
    var lang = (extras && extras.metadata && extras.metadata.defaultLanguage) || document.documentElement.lang || 'es';
    return String(lang).slice(0, 2).toLowerCase() === 'en' ? 'en' : 'es';
  }

  /** Labels: shared defaults, then the type's defaults, for the language; then content.json `l10n` (strings only). */
  function labels(language, typeDefaults, overrides) {
    var result = {};
    [SHARED_LABELS[language] || SHARED_LABELS.es, (typeDefaults && typeDefaults[language]) || {}, overrides || {}].forEach(function (source) {
      Object.keys(source).forEach(function (key) {
        if (typeof source[key] === 'string' && source[key] !== '') result[key] = source[key];
      });
    });
    return result;
  }

  /** Replaces `:name` placeholders. */
  function format(template, values) {
    return String(template).replace(/:([a-zA-Z]+)/g, function (match, name) {
      return Object.prototype.hasOwnProperty.call(values, name) ? String(values[name]) : match;
    });
  }

  /** Plain text with blank lines → paragraphs. */
  function paragraphs(text, className) {
    return String(text || '')
      .split(/\n\s*\n/)
      .map(function (part) { return part.trim(); })
      .filter(Boolean)
      .map(function (part) { return el('p', { className: className, text: part }); });
  }

  /** A random permutation of 0..n-1 (Fisher–Yates). */
  function shuffledIndexes(n) {
    var order = [];
    for (var i = 0; i < n; i += 1) order.push(i);
    for (var j = n - 1; j > 0; j -= 1) {
      var k = Math.floor(Math.random() * (j + 1));
      var tmp = order[j];
      order[j] = order[k];
      order[k] = tmp;
    }
    return order;
  }

  /** True when `order` is a permutation of 0..n-1 (used to trust a saved order on resume). */
  function isPermutation(order, n) {
    if (!Array.isArray(order) || order.length !== n) return false;
    var seen = {};
    for (var i = 0; i < n; i += 1) {
      var v = order[i];
      if (typeof v !== 'number' || v < 0 || v >= n || v % 1 !== 0 || seen[v]) return false;
      seen[v] = true;
    }
    return true;
  }

  /** The saved state of a previous visit, or null (a broken or foreign state is ignored, not fatal). */
  function previousState(extras) {
    var state = extras && extras.previousState;
    if (typeof state === 'string') {
      try { state = JSON.parse(state); } catch (e) { return null; }
    }
    return state && typeof state === 'object' ? state : null;
  }

  /** A language map for xAPI texts. */
  function languageMap(language, text) {
    var map = {};
    map[language] = String(text);
    return map;
  }

  /**
   * Builds the `answered` statement of a whole activity: score, success, the learner's response and the interaction
   * definition (so an LRS can show what was asked).
   */
  function answeredEvent(instance, result) {
    var event = instance.createXAPIEventTemplate('answered');
    event.setScoredResult(result.score, result.maxScore, instance, true, result.success);
    var definition = event.data.statement.object.definition;
    Object.keys(result.definition || {}).forEach(function (key) { definition[key] = result.definition[key]; });
    if (result.title) definition.name = languageMap(result.language, result.title);
    if (typeof result.response === 'string') event.data.statement.result.response = result.response;
    return event;
  }

  /**
   * Reports a finished attempt: `answered` with the full interaction, then `completed` with the same score.
   * Both are top-level statements (no parent), which is what the platform records.
   */
  function reportResult(instance, result) {
    instance.trigger(answeredEvent(instance, result));
    instance.triggerXAPIScored(result.score, result.maxScore, 'completed', true, result.success);
  }

  /** Live region for feedback: polite, atomic, read in full by screen readers when its text changes. */
  function liveRegion(className) {
    return el('div', { className: 'capacita-feedback ' + (className || ''), role: 'status', 'aria-live': 'polite', 'aria-atomic': 'true' });
  }

  /** Sets a live region's text so that it is announced even when the same text is set twice. */
  function announce(region, text) {
    region.textContent = '';
    window.setTimeout(function () { region.textContent = text; }, 50);
  }

  /** Base for Capacita types: an H5P.EventDispatcher with the usual content-type plumbing. */
  function setUpInstance(instance, contentId, extras) {
    H5P.EventDispatcher.call(instance);
    instance.contentId = contentId;
    instance.extras = extras || {};
    instance.language = languageOf(extras);
  }

  /** Marks a result line with a symbol and a word, never colour alone. */
  function verdict(correct, l10n) {
    return el('span', { className: 'capacita-verdict ' + (correct ? 'is-correct' : 'is-incorrect') }, [
      el('span', { 'aria-hidden': 'true', text: correct ? '✓ ' : '✗ ' }),
      correct ? l10n.correct : l10n.incorrect,
    ]);
  }

  Capacita.Common = {
    el: el,
    uniqueId: uniqueId,
    languageOf: languageOf,
    labels: labels,
    format: format,
    paragraphs: paragraphs,
    shuffledIndexes: shuffledIndexes,
    isPermutation: isPermutation,
    previousState: previousState,
    languageMap: languageMap,
    answeredEvent: answeredEvent,
    reportResult: reportResult,
    liveRegion: liveRegion,
    announce: announce,
    setUpInstance: setUpInstance,
    verdict: verdict,
  };
})((window.Capacita = window.Capacita || {}));
