/*
 * Capacita.TermMatch 1.0 — flip cards to study terms, then match definitions to terms.
 * MIT License, (c) Regional Coalition against Trafficking in Persons and Smuggling of Migrants.
 *
 * Study: each card is a button (aria-expanded) that reveals the definition below it.
 * Match: each definition is the label of a <select> listing the terms, so it works with keyboard and screen readers.
 *
 * content.json: { title, instructions, pairs: [{ term, definition }], l10n? }
 * Score: one point per definition matched to its term.
 * State: { phase: 'study'|'match', flipped: [pairIndex], definitionOrder, termOrder, answers: { pairIndex: pairIndex }, checked }.
 */
(function (Capacita) {
  'use strict';

  var C = Capacita.Common;

  var LABELS = {
    es: {
      studyHeading: '1. Repase los términos',
      studyHint: 'Pulse cada tarjeta para ver su definición.',
      flipHintShow: 'Ver definición',
      flipHintHide: 'Ocultar definición',
      flippedCount: 'Ha visto :count de :total tarjetas.',
      startMatching: 'Empezar a emparejar',
      matchHeading: '2. Empareje cada definición con su término',
      chooseTerm: '— Elija un término —',
      backToCards: 'Volver a las tarjetas',
      missing: 'Falta emparejar :count definición(es).',
      rightTerm: 'Término correcto: :term.',
    },
    en: {
      studyHeading: '1. Review the terms',
      studyHint: 'Press each card to see its definition.',
      flipHintShow: 'Show definition',
      flipHintHide: 'Hide definition',
      flippedCount: 'You have seen :count of :total cards.',
      startMatching: 'Start matching',
      matchHeading: '2. Match each definition with its term',
      chooseTerm: '— Choose a term —',
      backToCards: 'Back to the cards',
      missing: ':count definition(s) still to match.',
      rightTerm: 'Right term: :term.',
    },
  };

  function TermMatch(params, contentId, extras) {
    C.setUpInstance(this, contentId, extras);
    params = params || {};
    this.params = {
      title: params.title || '',
      instructions: params.instructions || '',
      pairs: (Array.isArray(params.pairs) ? params.pairs : []).map(function (pair) {
        return { term: String((pair && pair.term) || ''), definition: String((pair && pair.definition) || '') };
      }),
    };
    this.l10n = C.labels(this.language, LABELS, params.l10n);

    var n = this.params.pairs.length;
    var state = C.previousState(extras) || {};
    this.phase = state.phase === 'match' ? 'match' : 'study';
    this.flipped = {};
    (Array.isArray(state.flipped) ? state.flipped : []).forEach(function (index) {
      if (typeof index === 'number' && index >= 0 && index < n) this.flipped[index] = true;
    }, this);
    this.definitionOrder = C.isPermutation(state.definitionOrder, n) ? state.definitionOrder : C.shuffledIndexes(n);
    this.termOrder = C.isPermutation(state.termOrder, n) ? state.termOrder : C.shuffledIndexes(n);
    this.answers = {};
    if (state.answers && typeof state.answers === 'object') {
      Object.keys(state.answers).forEach(function (key) {
        var index = Number(key);
        var term = state.answers[key];
        if (index >= 0 && index < n && typeof term === 'number' && term >= 0 && term < n) this.answers[index] = term;
      }, this);
    }
    this.checked = !!state.checked && Object.keys(this.answers).length === n;
  }

  TermMatch.prototype = Object.create(H5P.EventDispatcher.prototype);
  TermMatch.prototype.constructor = TermMatch;

  TermMatch.prototype.attach = function ($container) {
    var container = $container.get ? $container.get(0) : $container;
    container.classList.add('capacita-activity', 'capacita-termmatch');
    container.textContent = '';
    this.container = container;

    container.appendChild(C.el('h3', { className: 'capacita-title', text: this.params.title }));
    container.appendChild(C.el('p', { className: 'capacita-instructions', text: this.params.instructions }));
    this.studySection = this.buildStudy();
    this.matchSection = this.buildMatch();
    container.appendChild(this.studySection);
    container.appendChild(this.matchSection);
    this.feedback = C.liveRegion();
    container.appendChild(this.feedback);
    this.showPhase(this.phase, false);
    if (this.checked) this.showResult(false);
    this.trigger('resize');
  };

  TermMatch.prototype.buildStudy = function () {
    var self = this;
    var l10n = this.l10n;
    this.progress = C.el('p', { className: 'capacita-progress', 'aria-live': 'polite' });
    var cards = this.params.pairs.map(function (pair, index) {
      var definitionId = C.uniqueId('capacita-definition');
      var hint = C.el('span', { className: 'capacita-flip-hint' });
      var definition = C.el('p', { id: definitionId, className: 'capacita-definition', text: pair.definition, hidden: true });
      var card = C.el('li', { className: 'capacita-flipcard' });
      var button = C.el('button', {
        type: 'button', 'aria-expanded': 'false', 'aria-controls': definitionId,
        onclick: function () { self.flip(index, !self.flipped[index]); },
      }, [C.el('span', { text: pair.term }), hint]);
      card.appendChild(button);
      card.appendChild(definition);
      return { card: card, button: button, hint: hint, definition: definition };
    });
    this.flipViews = cards;
    cards.forEach(function (view, index) { this.renderFlip(index); }, this);
    this.renderProgress();
    var start = C.el('button', { type: 'button', className: 'capacita-button', text: l10n.startMatching, onclick: function () { self.showPhase('match', true); } });
    return C.el('section', { className: 'capacita-study' }, [
      C.el('h4', { text: l10n.studyHeading }),
      C.el('p', { text: l10n.studyHint }),
      C.el('ul', { className: 'capacita-flipcards' }, cards.map(function (view) { return view.card; })),
      this.progress,
      C.el('div', { className: 'capacita-actions' }, [start]),
    ]);
  };

  TermMatch.prototype.flip = function (index, open) {
    if (open) this.flipped[index] = true;
    else delete this.flipped[index];
    this.renderFlip(index);
    this.renderProgress();
    this.triggerXAPI('interacted');
    this.trigger('resize');
  };

  TermMatch.prototype.renderFlip = function (index) {
    var view = this.flipViews[index];
    var open = !!this.flipped[index];
    view.card.classList.toggle('is-flipped', open);
    view.button.setAttribute('aria-expanded', open ? 'true' : 'false');
    view.hint.textContent = open ? this.l10n.flipHintHide : this.l10n.flipHintShow;
    view.definition.hidden = !open;
  };

  TermMatch.prototype.renderProgress = function () {
    this.progress.textContent = C.format(this.l10n.flippedCount, { count: Object.keys(this.flipped).length, total: this.params.pairs.length });
  };

  TermMatch.prototype.buildMatch = function () {
    var self = this;
    var l10n = this.l10n;
    var pairs = this.params.pairs;
    this.matchViews = {};
    var items = this.definitionOrder.map(function (pairIndex) {
      var selectId = C.uniqueId('capacita-match');
      var select = C.el('select', {
        id: selectId,
        onchange: function () {
          if (select.value === '') delete self.answers[pairIndex];
          else self.answers[pairIndex] = Number(select.value);
          self.triggerXAPI('interacted');
        },
      }, [C.el('option', { value: '', text: l10n.chooseTerm })].concat(self.termOrder.map(function (termIndex) {
        return C.el('option', { value: String(termIndex), text: pairs[termIndex].term });
      })));
      if (self.answers[pairIndex] !== undefined) select.value = String(self.answers[pairIndex]);
      var result = C.el('p', { className: 'capacita-explanation', hidden: true });
      self.matchViews[pairIndex] = { select: select, result: result };
      return C.el('li', {}, [C.el('label', { for: selectId, text: pairs[pairIndex].definition }), select, result]);
    });
    this.checkButton = C.el('button', { type: 'button', className: 'capacita-button', text: l10n.check, onclick: function () { self.check(); } });
    this.retryButton = C.el('button', { type: 'button', className: 'capacita-button is-secondary', text: l10n.retry, hidden: true, onclick: function () { self.resetTask(true); } });
    var back = C.el('button', { type: 'button', className: 'capacita-button is-secondary', text: l10n.backToCards, onclick: function () { self.showPhase('study', true); } });
    this.matchHeading = C.el('h4', { text: l10n.matchHeading, tabindex: '-1' });
    return C.el('section', { className: 'capacita-match' }, [
      this.matchHeading,
      C.el('ol', { className: 'capacita-match-list' }, items),
      C.el('div', { className: 'capacita-actions' }, [this.checkButton, this.retryButton, back]),
    ]);
  };

  TermMatch.prototype.showPhase = function (phase, moveFocus) {
    this.phase = phase;
    this.studySection.hidden = phase !== 'study';
    this.matchSection.hidden = phase !== 'match';
    if (moveFocus) {
      if (phase === 'match') this.matchHeading.focus();
      else if (this.flipViews[0]) this.flipViews[0].button.focus();
    }
    this.trigger('resize');
  };

  TermMatch.prototype.check = function () {
    var missing = this.params.pairs.length - Object.keys(this.answers).length;
    if (missing > 0) {
      C.announce(this.feedback, C.format(this.l10n.missing, { count: missing }));
      var firstOpen = this.definitionOrder.filter(function (pairIndex) { return this.answers[pairIndex] === undefined; }, this)[0];
      if (firstOpen !== undefined) this.matchViews[firstOpen].select.focus();
      return;
    }
    this.checked = true;
    this.showResult(true);
    var score = this.getScore();
    var max = this.getMaxScore();
    C.reportResult(this, {
      score: score,
      maxScore: max,
      success: score === max,
      language: this.language,
      title: this.params.title,
      response: this.responseString(),
      definition: this.interactionDefinition(),
    });
  };

  TermMatch.prototype.responseString = function () {
    return this.params.pairs.map(function (pair, index) {
      return 'definition' + index + '[.]' + (this.answers[index] === undefined ? '' : 'term' + this.answers[index]);
    }, this).join('[,]');
  };

  TermMatch.prototype.showResult = function (moveFocus) {
    var l10n = this.l10n;
    var pairs = this.params.pairs;
    var wrong = 0;
    Object.keys(this.matchViews).forEach(function (key) {
      var pairIndex = Number(key);
      var view = this.matchViews[pairIndex];
      var correct = this.answers[pairIndex] === pairIndex;
      if (!correct) wrong += 1;
      view.select.disabled = true;
      view.result.hidden = false;
      view.result.textContent = '';
      view.result.appendChild(C.verdict(correct, l10n));
      if (!correct) view.result.appendChild(document.createTextNode(' ' + C.format(l10n.rightTerm, { term: pairs[pairIndex].term })));
    }, this);
    C.announce(this.feedback, C.format(l10n.score, { score: this.getScore(), max: this.getMaxScore() }) + (wrong === 0 ? ' ' + l10n.allCorrect : ''));
    this.checkButton.hidden = true;
    this.retryButton.hidden = false;
    if (moveFocus) this.retryButton.focus();
    this.trigger('resize');
  };

  TermMatch.prototype.interactionDefinition = function () {
    var language = this.language;
    var pairs = this.params.pairs;
    return {
      description: C.languageMap(language, this.params.instructions || this.params.title),
      type: 'http://adlnet.gov/expapi/activities/cmi.interaction',
      interactionType: 'matching',
      correctResponsesPattern: [pairs.map(function (pair, index) { return 'definition' + index + '[.]term' + index; }).join('[,]')],
      source: pairs.map(function (pair, index) { return { id: 'definition' + index, description: C.languageMap(language, pair.definition) }; }),
      target: pairs.map(function (pair, index) { return { id: 'term' + index, description: C.languageMap(language, pair.term) }; }),
    };
  };

  TermMatch.prototype.getScore = function () {
    if (!this.checked) return 0;
    return this.params.pairs.filter(function (pair, index) { return this.answers[index] === index; }, this).length;
  };

  TermMatch.prototype.getMaxScore = function () {
    return this.params.pairs.length;
  };

  TermMatch.prototype.getAnswerGiven = function () {
    return Object.keys(this.answers).length > 0;
  };

  TermMatch.prototype.getTitle = function () {
    return this.params.title;
  };

  TermMatch.prototype.getCurrentState = function () {
    return {
      phase: this.phase,
      flipped: Object.keys(this.flipped).map(Number),
      definitionOrder: this.definitionOrder,
      termOrder: this.termOrder,
      answers: this.answers,
      checked: this.checked,
    };
  };

  TermMatch.prototype.getXAPIData = function () {
    var event = C.answeredEvent(this, {
      score: this.getScore(), maxScore: this.getMaxScore(), success: this.getScore() === this.getMaxScore(), language: this.language,
      title: this.params.title, response: this.responseString(), definition: this.interactionDefinition(),
    });
    return { statement: event.data.statement };
  };

  TermMatch.prototype.showSolutions = function () {
    this.params.pairs.forEach(function (pair, index) { this.answers[index] = index; }, this);
    this.checked = true;
    if (!this.matchViews) return;
    Object.keys(this.matchViews).forEach(function (key) { this.matchViews[key].select.value = key; }, this);
    this.showPhase('match', false);
    this.showResult(false);
  };

  TermMatch.prototype.resetTask = function (moveFocus) {
    this.answers = {};
    this.checked = false;
    if (!this.matchViews) return;
    Object.keys(this.matchViews).forEach(function (key) {
      var view = this.matchViews[key];
      view.select.disabled = false;
      view.select.value = '';
      view.result.hidden = true;
      view.result.textContent = '';
    }, this);
    this.feedback.textContent = '';
    this.checkButton.hidden = false;
    this.retryButton.hidden = true;
    if (moveFocus === true && this.definitionOrder.length) this.matchViews[this.definitionOrder[0]].select.focus();
    this.trigger('resize');
  };

  Capacita.TermMatch = TermMatch;
})((window.Capacita = window.Capacita || {}));
