/*
 * Capacita.Classify 1.0 — sort cards into categories.
 * MIT License, (c) Regional Coalition against Trafficking in Persons and Smuggling of Migrants.
 *
 * Each card is a group of radio buttons, one per category: it works with the keyboard (Tab to a card, arrow keys to
 * choose) and with screen readers (the card's text is the group's name). No dragging is needed.
 *
 * content.json: { title, instructions, categories: [{ id, label }], cards: [{ text, category, feedback }], l10n? }
 * Score: one point per card in its right category. State: { order, answers: { cardIndex: categoryId }, checked }.
 */
(function (Capacita) {
  'use strict';

  var C = Capacita.Common;

  var LABELS = {
    es: {
      cardsLabel: 'Tarjetas para clasificar',
      missing: 'Falta clasificar :count tarjeta(s).',
      belongsTo: 'Categoría correcta: :category.',
      someWrong: 'Hay :wrong tarjeta(s) mal clasificada(s). Lea las explicaciones e inténtelo de nuevo.',
    },
    en: {
      cardsLabel: 'Cards to classify',
      missing: ':count card(s) still to classify.',
      belongsTo: 'Right category: :category.',
      someWrong: ':wrong card(s) are in the wrong category. Read the explanations and try again.',
    },
  };

  function Classify(params, contentId, extras) {
    C.setUpInstance(this, contentId, extras);
    params = params || {};
    var categories = (Array.isArray(params.categories) ? params.categories : []).map(function (category) {
      return { id: String((category && category.id) || ''), label: String((category && category.label) || '') };
    });
    this.params = {
      title: params.title || '',
      instructions: params.instructions || '',
      categories: categories,
      cards: (Array.isArray(params.cards) ? params.cards : []).map(function (card) {
        return { text: String((card && card.text) || ''), category: String((card && card.category) || ''), feedback: String((card && card.feedback) || '') };
      }),
      randomize: !(params.behaviour && params.behaviour.randomizeCards === false),
    };
    this.l10n = C.labels(this.language, LABELS, params.l10n);

    var n = this.params.cards.length;
    var state = C.previousState(extras) || {};
    var known = {};
    categories.forEach(function (category) { known[category.id] = true; });
    this.order = C.isPermutation(state.order, n) ? state.order : this.params.randomize ? C.shuffledIndexes(n) : range(n);
    this.answers = {};
    if (state.answers && typeof state.answers === 'object') {
      Object.keys(state.answers).forEach(function (key) {
        var index = Number(key);
        if (index >= 0 && index < n && known[state.answers[key]]) this.answers[index] = state.answers[key];
      }, this);
    }
    this.checked = !!state.checked && this.answeredCount() === n;
  }

  function range(n) {
    var result = [];
    for (var i = 0; i < n; i += 1) result.push(i);
    return result;
  }

  Classify.prototype = Object.create(H5P.EventDispatcher.prototype);
  Classify.prototype.constructor = Classify;

  Classify.prototype.answeredCount = function () {
    return Object.keys(this.answers).length;
  };

  Classify.prototype.attach = function ($container) {
    var self = this;
    var l10n = this.l10n;
    var container = $container.get ? $container.get(0) : $container;
    container.classList.add('capacita-activity', 'capacita-classify');
    container.textContent = '';
    this.cardViews = {};

    var list = C.el('ol', { className: 'capacita-cards', 'aria-label': l10n.cardsLabel });
    this.order.forEach(function (cardIndex) {
      var card = self.params.cards[cardIndex];
      var name = C.uniqueId('capacita-card');
      var inputs = self.params.categories.map(function (category) {
        var input = C.el('input', {
          type: 'radio', name: name, value: category.id,
          onchange: function () { self.answers[cardIndex] = category.id; self.triggerXAPI('interacted'); },
        });
        return { input: input, label: C.el('label', { className: 'capacita-option' }, [input, C.el('span', { text: category.label })]) };
      });
      var result = C.el('div', { className: 'capacita-card-result' });
      var fieldset = C.el('fieldset', { className: 'capacita-card' }, [
        C.el('legend', { text: card.text }),
        C.el('div', { className: 'capacita-categories' }, inputs.map(function (pair) { return pair.label; })),
        result,
      ]);
      self.cardViews[cardIndex] = { fieldset: fieldset, inputs: inputs, result: result };
      list.appendChild(C.el('li', {}, [fieldset]));
    });

    this.feedback = C.liveRegion();
    this.checkButton = C.el('button', { type: 'button', className: 'capacita-button', text: l10n.check, onclick: function () { self.check(); } });
    this.retryButton = C.el('button', { type: 'button', className: 'capacita-button is-secondary', text: l10n.retry, hidden: true, onclick: function () { self.resetTask(true); } });

    container.appendChild(C.el('h3', { className: 'capacita-title', text: this.params.title }));
    container.appendChild(C.el('p', { className: 'capacita-instructions', text: this.params.instructions }));
    container.appendChild(list);
    container.appendChild(C.el('div', { className: 'capacita-actions' }, [this.checkButton, this.retryButton]));
    container.appendChild(this.feedback);

    this.syncInputs();
    if (this.checked) this.showResult(false);
    this.trigger('resize');
  };

  Classify.prototype.syncInputs = function () {
    Object.keys(this.cardViews).forEach(function (cardIndex) {
      var chosen = this.answers[cardIndex];
      this.cardViews[cardIndex].inputs.forEach(function (pair) { pair.input.checked = pair.input.value === chosen; });
    }, this);
  };

  Classify.prototype.categoryLabel = function (id) {
    var found = this.params.categories.filter(function (category) { return category.id === id; })[0];
    return found ? found.label : id;
  };

  Classify.prototype.check = function () {
    var missing = this.params.cards.length - this.answeredCount();
    if (missing > 0) {
      C.announce(this.feedback, C.format(this.l10n.missing, { count: missing }));
      var firstOpen = this.order.filter(function (cardIndex) { return this.answers[cardIndex] === undefined; }, this)[0];
      if (firstOpen !== undefined) this.cardViews[firstOpen].inputs[0].input.focus();
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
      response: this.params.cards.map(function (card, index) { return 'card' + index + '[.]' + this.answers[index]; }, this).join('[,]'),
      definition: this.interactionDefinition(),
    });
  };

  /** Marks every card right or wrong with its explanation, and says the score. */
  Classify.prototype.showResult = function (moveFocus) {
    var l10n = this.l10n;
    var wrong = 0;
    this.params.cards.forEach(function (card, cardIndex) {
      var view = this.cardViews[cardIndex];
      var correct = this.answers[cardIndex] === card.category;
      if (!correct) wrong += 1;
      view.inputs.forEach(function (pair) { pair.input.disabled = true; });
      view.fieldset.classList.toggle('is-correct', correct);
      view.fieldset.classList.toggle('is-incorrect', !correct);
      view.result.textContent = '';
      view.result.appendChild(C.el('p', { className: 'capacita-explanation' }, [
        C.verdict(correct, l10n),
        ' ',
        correct ? '' : C.format(l10n.belongsTo, { category: this.categoryLabel(card.category) }) + ' ',
        card.feedback,
      ]));
    }, this);
    var summary = C.format(l10n.score, { score: this.getScore(), max: this.getMaxScore() }) + ' ' + (wrong === 0 ? l10n.allCorrect : C.format(l10n.someWrong, { wrong: wrong }));
    C.announce(this.feedback, summary);
    this.checkButton.hidden = true;
    this.retryButton.hidden = false;
    if (moveFocus) this.retryButton.focus();
    this.trigger('resize');
  };

  Classify.prototype.interactionDefinition = function () {
    var language = this.language;
    return {
      description: C.languageMap(language, this.params.instructions || this.params.title),
      type: 'http://adlnet.gov/expapi/activities/cmi.interaction',
      interactionType: 'matching',
      correctResponsesPattern: [this.params.cards.map(function (card, index) { return 'card' + index + '[.]' + card.category; }).join('[,]')],
      source: this.params.cards.map(function (card, index) { return { id: 'card' + index, description: C.languageMap(language, card.text) }; }),
      target: this.params.categories.map(function (category) { return { id: category.id, description: C.languageMap(language, category.label) }; }),
    };
  };

  Classify.prototype.getScore = function () {
    if (!this.checked) return 0;
    return this.params.cards.filter(function (card, index) { return this.answers[index] === card.category; }, this).length;
  };

  Classify.prototype.getMaxScore = function () {
    return this.params.cards.length;
  };

  Classify.prototype.getAnswerGiven = function () {
    return this.answeredCount() > 0;
  };

  Classify.prototype.getTitle = function () {
    return this.params.title;
  };

  Classify.prototype.getCurrentState = function () {
    return { order: this.order, answers: this.answers, checked: this.checked };
  };

  Classify.prototype.getXAPIData = function () {
    var event = C.answeredEvent(this, {
      score: this.getScore(), maxScore: this.getMaxScore(), success: this.getScore() === this.getMaxScore(), language: this.language,
      title: this.params.title, definition: this.interactionDefinition(),
      response: this.params.cards.map(function (card, index) { return 'card' + index + '[.]' + (this.answers[index] || ''); }, this).join('[,]'),
    });
    return { statement: event.data.statement };
  };

  Classify.prototype.showSolutions = function () {
    this.params.cards.forEach(function (card, cardIndex) { this.answers[cardIndex] = card.category; }, this);
    this.checked = true;
    if (this.cardViews) {
      this.syncInputs();
      this.showResult(false);
    }
  };

  Classify.prototype.resetTask = function (moveFocus) {
    this.answers = {};
    this.checked = false;
    if (!this.cardViews) return;
    Object.keys(this.cardViews).forEach(function (cardIndex) {
      var view = this.cardViews[cardIndex];
      view.inputs.forEach(function (pair) { pair.input.disabled = false; pair.input.checked = false; });
      view.fieldset.classList.remove('is-correct', 'is-incorrect');
      view.result.textContent = '';
    }, this);
    this.feedback.textContent = '';
    this.checkButton.hidden = false;
    this.retryButton.hidden = true;
    if (moveFocus === true && this.order.length) this.cardViews[this.order[0]].inputs[0].input.focus();
    this.trigger('resize');
  };

  Capacita.Classify = Classify;
})((window.Capacita = window.Capacita || {}));
