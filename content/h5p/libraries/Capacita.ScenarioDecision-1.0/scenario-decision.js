/*
 * Capacita.ScenarioDecision 1.0 — "what would you do?" on a fictional composite case.
 * MIT License, (c) Regional Coalition against Trafficking in Persons and Smuggling of Migrants.
 *
 * content.json: { title, scenario, question, choices: [{ text, feedback, correct }], l10n? }
 * Score: 1 of 1 when the chosen option is marked correct. State: { selected, checked }.
 */
(function (Capacita) {
  'use strict';

  var C = Capacita.Common;

  var LABELS = {
    es: {
      fictionalNotice: 'Caso ficticio: combina elementos de situaciones reales; ningún personaje corresponde a una persona real.',
      chooseOne: 'Elija una opción antes de comprobar.',
      goodChoice: 'Buena decisión.',
      poorChoice: 'No es la mejor decisión.',
    },
    en: {
      fictionalNotice: 'Fictional case: it combines elements of real situations; no character is a real person.',
      chooseOne: 'Choose an option before checking.',
      goodChoice: 'Good decision.',
      poorChoice: 'Not the best decision.',
    },
  };

  function ScenarioDecision(params, contentId, extras) {
    C.setUpInstance(this, contentId, extras);
    params = params || {};
    this.params = {
      title: params.title || '',
      scenario: params.scenario || '',
      question: params.question || '',
      choices: (Array.isArray(params.choices) ? params.choices : []).map(function (choice) {
        return { text: String((choice && choice.text) || ''), feedback: String((choice && choice.feedback) || ''), correct: !!(choice && choice.correct) };
      }),
    };
    this.l10n = C.labels(this.language, LABELS, params.l10n);
    var state = C.previousState(extras) || {};
    this.selected = typeof state.selected === 'number' && state.selected >= 0 && state.selected < this.params.choices.length ? state.selected : null;
    this.checked = !!state.checked && this.selected !== null;
  }

  ScenarioDecision.prototype = Object.create(H5P.EventDispatcher.prototype);
  ScenarioDecision.prototype.constructor = ScenarioDecision;

  ScenarioDecision.prototype.attach = function ($container) {
    var self = this;
    var l10n = this.l10n;
    var container = $container.get ? $container.get(0) : $container;
    container.classList.add('capacita-activity', 'capacita-scenario');
    container.textContent = '';

    var name = C.uniqueId('capacita-scenario');
    this.inputs = [];
    this.optionRows = [];
    var options = this.params.choices.map(function (choice, index) {
      var input = C.el('input', {
        type: 'radio', name: name, value: String(index),
        onchange: function () { self.selected = index; self.triggerXAPI('interacted'); },
      });
      self.inputs.push(input);
      var verdictSlot = C.el('span', { className: 'capacita-choice-verdict' });
      var row = C.el('label', { className: 'capacita-option' }, [input, C.el('span', {}, [choice.text, verdictSlot])]);
      row.verdictSlot = verdictSlot;
      self.optionRows.push(row);
      return row;
    });

    this.feedback = C.liveRegion();
    this.checkButton = C.el('button', { type: 'button', className: 'capacita-button', text: l10n.check, onclick: function () { self.check(); } });
    this.retryButton = C.el('button', { type: 'button', className: 'capacita-button is-secondary', text: l10n.retry, hidden: true, onclick: function () { self.resetTask(true); } });

    container.appendChild(C.el('h3', { className: 'capacita-title', text: this.params.title }));
    container.appendChild(C.el('p', { className: 'capacita-notice', text: l10n.fictionalNotice }));
    container.appendChild(C.el('div', { className: 'capacita-case' }, C.paragraphs(this.params.scenario)));
    container.appendChild(C.el('fieldset', {}, [C.el('legend', { text: this.params.question })].concat(options)));
    container.appendChild(C.el('div', { className: 'capacita-actions' }, [this.checkButton, this.retryButton]));
    container.appendChild(this.feedback);

    if (this.selected !== null) this.inputs[this.selected].checked = true;
    if (this.checked) this.showResult(false);
    this.trigger('resize');
  };

  ScenarioDecision.prototype.check = function () {
    if (this.selected === null) {
      C.announce(this.feedback, this.l10n.chooseOne);
      if (this.inputs[0]) this.inputs[0].focus();
      return;
    }
    this.checked = true;
    this.showResult(true);
    var choice = this.params.choices[this.selected];
    C.reportResult(this, {
      score: this.getScore(),
      maxScore: this.getMaxScore(),
      success: choice.correct,
      language: this.language,
      title: this.params.title,
      response: String(this.selected),
      definition: this.interactionDefinition(),
    });
  };

  /** Shows the verdict and the feedback of the chosen option and locks the choice until "try again". */
  ScenarioDecision.prototype.showResult = function (moveFocus) {
    var choice = this.params.choices[this.selected];
    var l10n = this.l10n;
    this.inputs.forEach(function (input) { input.disabled = true; });
    this.optionRows.forEach(function (row, index) {
      row.classList.toggle('is-chosen', index === this.selected);
      row.verdictSlot.textContent = '';
      if (index === this.selected) row.verdictSlot.appendChild(C.verdict(choice.correct, l10n));
    }, this);
    C.announce(this.feedback, (choice.correct ? l10n.goodChoice : l10n.poorChoice) + ' ' + choice.feedback);
    this.checkButton.hidden = true;
    this.retryButton.hidden = false;
    if (moveFocus) this.retryButton.focus();
    this.trigger('resize');
  };

  ScenarioDecision.prototype.interactionDefinition = function () {
    var language = this.language;
    return {
      description: C.languageMap(language, this.params.question),
      type: 'http://adlnet.gov/expapi/activities/cmi.interaction',
      interactionType: 'choice',
      correctResponsesPattern: this.params.choices
        .map(function (choice, index) { return choice.correct ? String(index) : null; })
        .filter(function (id) { return id !== null; }),
      choices: this.params.choices.map(function (choice, index) {
        return { id: String(index), description: C.languageMap(language, choice.text) };
      }),
    };
  };

  ScenarioDecision.prototype.getScore = function () {
    return this.checked && this.params.choices[this.selected] && this.params.choices[this.selected].correct ? 1 : 0;
  };

  ScenarioDecision.prototype.getMaxScore = function () {
    return 1;
  };

  ScenarioDecision.prototype.getAnswerGiven = function () {
    return this.checked;
  };

  ScenarioDecision.prototype.getTitle = function () {
    return this.params.title;
  };

  ScenarioDecision.prototype.getCurrentState = function () {
    return { selected: this.selected, checked: this.checked };
  };

  ScenarioDecision.prototype.getXAPIData = function () {
    var event = C.answeredEvent(this, {
      score: this.getScore(), maxScore: this.getMaxScore(), success: this.getScore() === 1, language: this.language,
      title: this.params.title, response: this.selected === null ? '' : String(this.selected), definition: this.interactionDefinition(),
    });
    return { statement: event.data.statement };
  };

  ScenarioDecision.prototype.showSolutions = function () {
    var l10n = this.l10n;
    this.inputs.forEach(function (input) { input.disabled = true; });
    this.optionRows.forEach(function (row, index) {
      row.verdictSlot.textContent = '';
      if (this.params.choices[index].correct) row.verdictSlot.appendChild(C.verdict(true, l10n));
    }, this);
    this.trigger('resize');
  };

  ScenarioDecision.prototype.resetTask = function (moveFocus) {
    this.selected = null;
    this.checked = false;
    if (!this.inputs) return;
    this.inputs.forEach(function (input) { input.disabled = false; input.checked = false; });
    this.optionRows.forEach(function (row) { row.classList.remove('is-chosen'); row.verdictSlot.textContent = ''; });
    this.feedback.textContent = '';
    this.checkButton.hidden = false;
    this.retryButton.hidden = true;
    if (moveFocus === true && this.inputs[0]) this.inputs[0].focus();
    this.trigger('resize');
  };

  Capacita.ScenarioDecision = ScenarioDecision;
})((window.Capacita = window.Capacita || {}));
