/* The live interview room: a thin client of the interview socket (docs/api.md, "Live interview").
   All state comes from the server: on every (re)connect `session_state` rebuilds the view, the conversation
   included. What only this browser knows is kept in localStorage: the unsent drafts, per question, and an answer
   sent while the socket was down (the outbox, resent with its requestId, so the server takes it once).
   Question text, replies and follow-ups arrive as sanitised HTML rendered on the server. */
(function () {
  "use strict";

  var config = JSON.parse(document.getElementById("room-config").textContent);
  var $ = function (id) { return document.getElementById(id); };
  var els = {
    conn: $("conn"), chat: $("chat"), typing: $("typing"), timer: $("timer"), qTimer: $("q-timer"),
    progressLabel: $("progress-label"), progressBar: $("progress-bar"), progressFill: $("progress-fill"),
    introPanel: $("intro-panel"), startBtn: $("start-btn"), questionPanel: $("question-panel"),
    qMeta: $("q-meta"), qTitle: $("q-title"), qText: $("q-text"), qExamples: $("q-examples"),
    followup: $("followup"), followupText: $("followup-text"), timeUp: $("time-up"), form: $("answer-form"),
    codeArea: $("code-area"), code: $("code"), language: $("code-language"), runBtn: $("run-btn"),
    runResults: $("run-results"), answer: $("answer-text"), answerLabel: $("answer-label"),
    submitBtn: $("submit-btn"), micBtn: $("mic-btn"), micStatus: $("mic-status"), nextStep: $("next-step"),
    evaluation: $("evaluation"), nextBtn: $("next-btn"), finishBtn: $("finish-btn")
  };
  var LABELS = { python: "Python", javascript: "JavaScript", typescript: "TypeScript", java: "Java", go: "Go",
    cpp: "C++", csharp: "C#", rust: "Rust", ruby: "Ruby", kotlin: "Kotlin", swift: "Swift" };
  var FOLLOW_UP_SUFFIX = "-followup";
  var RETRY_FIRST_MS = 500, RETRY_MAX_MS = 5000;

  /* prompt: the prompt awaiting an answer, {id, isFollowUp, acceptsCode, html, dueAt (local ms)}, or null. */
  var state = { session: null, question: null, prompt: null, busy: false, finishing: false, lastAction: null,
    sentCode: {} };
  var socket = null, retries = 0, pingTimer = null, closedForGood = false, skewMs = 0;
  var streamBubble = null, questionShownAt = Date.now(), requestSeq = 0, timeUpSaid = null;
  var interviewer = "Interviewer";
  var editor = null;

  /* ---------- helpers ---------- */
  function csrfToken() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute("content") : "";
  }
  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text != null) { node.textContent = text; }
    return node;
  }
  /* HTML rendered and sanitised on the server (docs/api.md, "Markdown is rendered once, on the server"). */
  function serverHtml(tag, className, html) {
    var node = el(tag, className);
    node.innerHTML = html || "";
    return node;
  }
  function label(value) { return LABELS[value] || String(value || "").replace(/_/g, " ").replace(/^./, function (c) { return c.toUpperCase(); }); }
  function band(score) { return score == null ? "none" : score >= 80 ? "high" : score >= 50 ? "mid" : "low"; }
  function json(value) { return JSON.stringify(value); }
  function clock(seconds) { return Math.floor(seconds / 60) + ":" + String(seconds % 60).padStart(2, "0"); }
  function serverNow() { return Date.now() + skewMs; }
  function isCoding() { return Boolean(state.question && state.question.type === "coding"); }
  function codeOpen() { return isCoding() && Boolean(state.prompt) && (!state.prompt.isFollowUp || state.prompt.acceptsCode); }

  /* ---------- what only this browser keeps: drafts and the outbox ---------- */
  var store = {
    key: function (name) { return "ci-room:" + config.sessionId + ":" + name; },
    get: function (name) { try { return JSON.parse(localStorage.getItem(store.key(name))); } catch (e) { return null; } },
    set: function (name, value) {
      try { localStorage.setItem(store.key(name), JSON.stringify(value)); } catch (e) { /* private mode: memory only */ }
    },
    drop: function (name) { try { localStorage.removeItem(store.key(name)); } catch (e) { /* as above */ } },
    clear: function () {
      var prefix = store.key("");
      try {
        Object.keys(localStorage).forEach(function (key) { if (key.indexOf(prefix) === 0) { localStorage.removeItem(key); } });
      } catch (e) { /* as above */ }
    }
  };
  function textDraftName() { return state.prompt ? "text:" + state.prompt.id : null; }
  function codeDraftName(language) { return state.question ? "code:" + state.question.questionId + ":" + language : null; }
  function saveDrafts() {
    if (textDraftName()) { store.set(textDraftName(), els.answer.value); }
    if (isCoding() && codeDraftName(els.language.value)) { store.set(codeDraftName(els.language.value), codeValue()); }
  }

  /* ---------- the code editor (CodeMirror, static/vendor/editor.js; the textarea without it) ---------- */
  function codeValue() { return editor ? editor.getValue() : els.code.value; }
  function setCode(text) { if (editor) { editor.setValue(text); } else { els.code.value = text; } }
  function setupEditorWidget() {
    if (!window.CodeEditor || editor) { return; }
    var nonce = document.querySelector('meta[name="csp-nonce"]');
    editor = window.CodeEditor.create(els.code, { language: config.language, nonce: nonce ? nonce.content : "",
      onChange: function () { saveDrafts(); typing(); } });
  }

  /* ---------- conversation ---------- */
  function say(who, text, kind) {
    var bubble = el("div", "msg " + (kind || "ai"));
    if (who) { bubble.appendChild(el("span", "who", who)); }
    bubble.appendChild(typeof text === "string" ? document.createTextNode(text) : text);
    els.chat.appendChild(bubble);
    els.chat.scrollTop = els.chat.scrollHeight;
    return bubble;
  }
  function sayHtml(who, html, kind) { return say(who, serverHtml("div", "prose", html), kind); }
  function setTyping(on) {
    els.typing.innerHTML = "";
    if (!on) { return; }
    els.typing.appendChild(document.createTextNode(interviewer + " is thinking "));
    var dots = el("span", "dots");
    dots.setAttribute("aria-hidden", "true");
    dots.append(el("span"), el("span"), el("span"));
    els.typing.appendChild(dots);
  }
  function sentText(answer) {
    var code = answer.codeSubmission;
    var text = answer.answerText || (code && code.approachExplanation) || "";
    if (!code) { return text || "Answer sent."; }
    return (text || "Submitted my code.") + "\n[" + label(code.language) + " code submitted]";
  }
  function questionIntro(position, count, title) { return "Question " + position + " of " + count + ": " + title; }

  /* One answer's place in the conversation: what was sent, then (once evaluated) the reply, its score card and
     the follow-up it asked. Idempotent per answerId, so a replayed event or a snapshot never shows it twice. */
  function showReply(reply, questionType, sentBubble) {
    var answer = reply.answer || {};
    var node = sentBubble || els.chat.querySelector("[data-answer='" + answer.answerId + "']");
    if (!node) {
      node = say("You", sentText(answer), "me");
    }
    node.dataset.answer = answer.answerId;
    node.classList.remove("pending");
    if (answer.codeSubmission) { state.sentCode[answer.questionId] = answer.codeSubmission.code; }
    if (answer.status === "evaluating" || els.chat.querySelector("[data-evaluated='" + answer.answerId + "']")) { return; }
    var ai = reply.aiResponse;
    var bubble = streamBubble && streamBubble.dataset.stream === answer.answerId ? streamBubble : null;
    streamBubble = null;
    if (ai) {
      if (bubble) {
        bubble.replaceChildren(el("span", "who", interviewer), serverHtml("div", "prose", ai.contentHtml));
      } else {
        bubble = sayHtml(interviewer, ai.contentHtml, "ai");
      }
    }
    var card = scoreCard(answer, questionType, "div");
    card.classList.add("msg", "ai", "score-msg");
    card.dataset.evaluated = answer.answerId;
    els.chat.appendChild(card);
    if (ai && ai.followUpQuestionHtml) {
      var asked = el("div", "prose");
      asked.appendChild(el("strong", "", "Follow-up: "));
      asked.insertAdjacentHTML("beforeend", ai.followUpQuestionHtml);
      say(interviewer, asked, "ai").dataset.followUp = answer.answerId;
    }
    els.chat.scrollTop = els.chat.scrollHeight;
  }

  function showConversation(turns, count) {
    Array.prototype.slice.call(els.chat.children).forEach(function (node) {
      if (!node.hasAttribute("data-intro")) { node.remove(); }
    });
    streamBubble = null;
    turns.forEach(function (turn) {
      say(interviewer, questionIntro(turn.position, count, turn.title), "ai");
      if (turn.status === "skipped" && !turn.replies.length) { say(null, "Skipped.", "system"); }
      turn.replies.forEach(function (reply) { showReply(reply, turn.type); });
    });
  }

  /* ---------- score cards ---------- */
  function scoreCard(answer, questionType, tag) {
    var box = el(tag || "div", "card score-card");
    var head = el("div", "score-head");
    head.appendChild(el("h3", "", answer.status === "failed" ? "Could not run the code" :
      answer.isFollowUp ? "Follow-up evaluated" : "Answer evaluated"));
    if (answer.late) { head.appendChild(el("span", "badge badge-late", "Late")); }
    box.appendChild(head);
    if (answer.scores) {
      var scores = el("div", "scores");
      Object.keys(answer.scores).forEach(function (key) {
        var value = answer.scores[key];
        scores.appendChild(el("span", "badge score-" + band(value), label(key) + " " + Math.round(value)));
      });
      box.appendChild(scores);
    }
    if (questionType === "coding" && answer.testResults !== undefined && (answer.testResults || !answer.isFollowUp)) {
      var results = el("div", "results");
      renderResults(results, answer.testResults);
      box.appendChild(results);
    }
    return box;
  }

  function renderResults(container, results) {
    container.replaceChildren();
    if (!results) { container.appendChild(el("p", "small muted", "This language is judged by the interviewer without running.")); return; }
    var head = el("div", "btn-row");
    head.appendChild(el("span", "badge badge-" + (results.verdict === "accepted" ? "passed" : "failed"), label(results.verdict)));
    head.appendChild(el("strong", "", results.passed + " / " + results.total + " tests passed"));
    container.appendChild(head);
    if (results.message) { container.appendChild(el("pre", "", results.message)); }
    (results.cases || []).forEach(function (c) {
      var row = el("div", "case");
      row.appendChild(el("span", "badge badge-" + c.status, c.status));
      var detail = el("div");
      detail.appendChild(el("strong", "", c.name + (c.hidden ? " (hidden)" : "")));
      if (!c.hidden && c.input !== undefined) {
        var io = el("div");
        io.appendChild(el("code", "", json(c.input) + " → expected " + json(c.expected) + (c.status === "passed" ? "" : ", got " + json(c.actual))));
        detail.appendChild(io);
      }
      if (c.error) { detail.appendChild(el("div", "small muted", c.error)); }
      row.appendChild(detail);
      row.appendChild(el("span", "small muted", c.timeMs == null ? "" : c.timeMs < 1 ? "<1 ms" : Math.round(c.timeMs) + " ms"));
      container.appendChild(row);
    });
  }

  /* ---------- socket ---------- */
  function setConn(name, text) { els.conn.dataset.state = name; els.conn.textContent = text; }
  function isOpen() { return socket && socket.readyState === WebSocket.OPEN; }
  function newRequestId() { return "req-" + Date.now().toString(36) + "-" + Math.random().toString(36).slice(2, 8) + "-" + (++requestSeq); }
  function send(type, data, requestId) {
    if (!isOpen()) { return null; }
    var message = { type: type, requestId: requestId || newRequestId() };
    if (data) { message.data = data; }
    socket.send(JSON.stringify(message));
    return message.requestId;
  }
  /* Interview actions other than answers need the socket now: a click while it is down says so, and nothing is
     queued (a stale "next question" sent later could skip a question). Answers go through the outbox. */
  function act(type, onSent) {
    var requestId = send(type);
    if (!requestId) {
      say(null, "Not connected: wait for “Live” and try again.", "system");
      return;
    }
    state.busy = true;
    state.lastAction = requestId;
    if (onSent) { onSent(); }
    render();
  }

  function flushOutbox() {
    var queued = store.get("outbox");
    if (!queued || !isOpen()) { return; }
    send("submit_answer", queued.data, queued.requestId);
    setConn("open", "Live · sending your answer…");
  }
  function settleOutbox(requestId) {
    var queued = store.get("outbox");
    if (!queued || queued.requestId !== requestId) { return false; }
    store.drop("outbox");
    store.drop("text:" + queued.promptId);
    setConn("open", "Live");
    return true;
  }

  function reconnectLater() {
    var base = Math.min(RETRY_MAX_MS, RETRY_FIRST_MS * Math.pow(2, retries++));
    var delay = Math.round(base * (0.8 + Math.random() * 0.4));  // jitter: many rooms never reconnect in step
    var at = Date.now() + delay;
    var pending = store.get("outbox") ? " Your answer is saved and will be sent then." : "";
    var tick = function () {  // counts down to the attempt only: from then on connect() says what happens
      if (Date.now() >= at) { return; }
      setConn("closed", "Connection lost — reconnecting in " + Math.ceil((at - Date.now()) / 1000) + " s (attempt " + retries + ")." + pending);
      setTimeout(tick, 250);
    };
    tick();
    setTimeout(connect, delay);
  }

  function connect() {
    var scheme = location.protocol === "https:" ? "wss://" : "ws://";
    if (retries) { setConn("connecting", "Reconnecting… (attempt " + retries + ")"); } else { setConn("connecting", "Connecting…"); }
    socket = new WebSocket(scheme + location.host + config.socketPath);
    socket.addEventListener("open", function () {
      retries = 0;
      setConn("open", "Live");
      clearInterval(pingTimer);
      pingTimer = setInterval(function () { send("ping"); }, 25000);
    });
    socket.addEventListener("message", function (event) {
      var message;
      try { message = JSON.parse(event.data); } catch (e) { return; }
      var handler = handlers[message.type];
      if (handler) { handler(message.data || {}, message.requestId); }
    });
    socket.addEventListener("close", function (event) {
      clearInterval(pingTimer);
      if (event.code === 4401) { location.href = "/accounts/login/?next=" + encodeURIComponent(location.pathname); return; }
      if (event.code === 4404) { closedForGood = true; setConn("closed", "Session not found"); return; }
      if (closedForGood) { return; }
      state.busy = false;
      render();
      reconnectLater();
    });
  }

  var handlers = {
    session_state: function (data) {
      skewMs = Date.parse(data.serverTime) - Date.now() || 0;
      state.session = data.session;
      interviewer = (data.session.aiInterviewer && data.session.aiInterviewer.name) || interviewer;
      if (data.session.status === "completed" || data.session.status === "abandoned") { goToReport(); return; }
      showConversation(data.conversation || [], data.session.questionCount);
      var queued = store.get("outbox");
      if (queued) { pendingBubble(queued); }
      var current = data.currentQuestion;
      if (current && (!state.question || state.question.questionId !== current.questionId)) { showQuestion(current); }
      var last = data.lastEvaluation, action = (last && last.nextAction) || {};
      var awaiting = data.promptDueAt && current;
      state.prompt = awaiting ? {
        id: data.pendingFollowUp ? current.questionId + FOLLOW_UP_SUFFIX : current.questionId,
        isFollowUp: Boolean(data.pendingFollowUp), html: data.pendingFollowUpHtml,
        acceptsCode: Boolean(data.pendingFollowUp && action.acceptsCode),
        dueAt: Date.parse(data.promptDueAt) - skewMs
      } : null;
      state.lastAction = queued ? queued.requestId : null;
      state.busy = Boolean(queued);
      els.evaluation.replaceChildren();
      if (last && current && last.answer.questionId === current.questionId) {
        els.evaluation.appendChild(scoreCard(last.answer, current.type));
        if (!state.prompt) { nextStepFrom(action); }
      }
      restoreDrafts();
      setTyping(Boolean(queued));
      render();
      flushOutbox();
    },
    question_presented: function (data, requestId) {
      var s = state.session || {};
      s.currentQuestionIndex = data.session.currentQuestionIndex;
      s.questionCount = data.session.currentQuestionIndex + data.session.remainingQuestions;
      if (s.status === "pending") { s.status = "in_progress"; s.startedAt = new Date(serverNow()).toISOString(); }
      state.session = s;
      state.busy = false;
      var mine = requestId && requestId === state.lastAction;
      state.lastAction = null;
      if (!data.question) {
        state.prompt = null;
        nextStepFrom(data.nextAction || { type: "complete" });
        render();
        if (mine) { els.finishBtn.focus(); }
        return;
      }
      state.prompt = { id: data.question.questionId, isFollowUp: false, acceptsCode: false, html: null,
        dueAt: Date.now() + data.question.estimatedTime * 60000 };
      els.evaluation.replaceChildren();
      showQuestion(data.question);
      say(interviewer, questionIntro(s.currentQuestionIndex, s.questionCount, data.question.title), "ai");
      restoreDrafts();
      render();
      if (mine) { els.qTitle.focus(); }
    },
    typing_indicator: function (data, requestId) {
      if (data.userId !== "ai_interviewer") { return; }
      if (data.isTyping && requestId) { settleOutbox(requestId); }
      setTyping(Boolean(data.isTyping));
    },
    ai_message_delta: function (data) {
      if (!streamBubble) {
        streamBubble = say(interviewer, "", "ai");
        streamBubble.dataset.stream = data.answerId;
      }
      streamBubble.appendChild(document.createTextNode(data.delta || ""));
      els.chat.scrollTop = els.chat.scrollHeight;
    },
    answer_evaluated: function (data, requestId) {
      var mine = settleOutbox(requestId) || (requestId && requestId === state.lastAction);
      var pending = els.chat.querySelector(".msg.me.pending[data-request='" + requestId + "']");
      state.busy = false;
      setTyping(false);
      showReply({ answer: evaluatedAnswer(data.answer, pending), aiResponse: data.aiResponse }, state.question && state.question.type, pending);
      afterEvaluation(data, mine);
    },
    session_completed: function () { goToReport(); },
    error: function (data, requestId) {
      var queued = store.get("outbox");
      if (queued && queued.requestId === requestId) {
        store.drop("outbox");  // refused (the prompt moved on, or a bad body): the draft stays to fix and resend
        var pending = els.chat.querySelector(".msg.me.pending[data-request='" + requestId + "']");
        if (pending) { pending.remove(); }
        setTyping(false);
      }
      state.busy = false;
      say(null, (data.message || "Something went wrong") + (data.code ? " (" + data.code + ")" : ""), "system");
      if (data.code === "INVALID_STATE" && state.finishing) { goToReport(); }
      render();
    },
    pong: function () {}
  };

  /* The event's answer carries no answerText: keep what the pending bubble showed. */
  function evaluatedAnswer(answer, pending) { return pending ? answer : Object.assign({ answerText: "" }, answer); }

  function afterEvaluation(data, mine) {
    var answer = data.answer || {}, next = data.nextAction || {};
    if (answer.status !== "failed" && next.type === "await_evaluation") { return; }
    els.evaluation.replaceChildren(scoreCard(answer, state.question && state.question.type));
    if (answer.status === "failed") {
      state.prompt = { id: answer.questionId + (answer.isFollowUp ? FOLLOW_UP_SUFFIX : ""), isFollowUp: answer.isFollowUp,
        acceptsCode: true, html: state.prompt && state.prompt.html, dueAt: state.prompt ? state.prompt.dueAt : null };
    } else if (next.type === "follow_up") {
      state.prompt = { id: next.questionId, isFollowUp: true, acceptsCode: Boolean(next.acceptsCode),
        html: next.messageHtml, dueAt: Date.parse(answer.evaluatedAt) + next.maxResponseTime * 1000 - skewMs };
      restoreDrafts();
    } else {
      state.prompt = null;
      nextStepFrom(next);
    }
    render();
    if (!mine) { return; }
    if (state.prompt) { (codeOpen() && answer.status === "failed" && editor ? editor : els.answer).focus(); return; }
    (nextIsLast() ? els.finishBtn : els.nextBtn).focus();
  }

  function nextIsLast() {
    var s = state.session || {};
    return (s.currentQuestionIndex || 0) >= (s.questionCount || 0);
  }
  function nextStepFrom(action) {
    els.nextStep.textContent = action.type === "complete" || nextIsLast()
      ? "That was the last question. Finish the interview to get your report."
      : "Answered. Ask for the next question when you are ready.";
  }

  function goToReport() {
    closedForGood = true;
    store.clear();
    if (socket) { socket.close(); }
    location.href = config.reportUrl;
  }

  /* ---------- question ---------- */
  function showQuestion(question) {
    state.question = question;
    questionShownAt = Date.now();
    timeUpSaid = null;
    els.runResults.replaceChildren();
    els.qTitle.textContent = question.title;
    els.qMeta.replaceChildren();
    [label(question.type), label(question.category), label(question.difficulty), "~" + question.estimatedTime + " min"]
      .forEach(function (text, i) { els.qMeta.appendChild(el("span", i === 0 ? "badge" : "", text)); });
    els.qText.innerHTML = question.textHtml || "";
    els.qExamples.replaceChildren();
    if (question.examples && question.examples.length) {
      els.qExamples.appendChild(el("h3", "below", "Examples"));
      var list = el("div", "examples");
      question.examples.forEach(function (example) {
        var box = el("div", "example");
        box.appendChild(el("div", "", "Input: " + json(example.input)));
        box.appendChild(el("div", "", "Expected: " + json(example.expected)));
        list.appendChild(box);
      });
      els.qExamples.appendChild(list);
    }
    if (question.type === "coding") { setupLanguages(question); }
  }

  function setupLanguages(question) {
    var languages = Object.keys(question.starterCode || {});
    if (languages.indexOf(config.language) === -1 && LABELS[config.language]) { languages.push(config.language); }
    els.language.replaceChildren();
    languages.forEach(function (lang) {
      var option = el("option", "", LABELS[lang] || lang);
      option.value = lang;
      els.language.appendChild(option);
    });
    els.language.value = languages.indexOf(config.language) !== -1 ? config.language : languages[0];
  }

  /* The prompt's unsent answer, and the question's code in the chosen language: the draft when there is one,
     else (for a follow-up taking a fix) the code last submitted, else the starter code. */
  function restoreDrafts() {
    var text = textDraftName() ? store.get(textDraftName()) : null;
    els.answer.value = text || "";
    if (!isCoding()) { return; }
    setupEditorWidget();
    var language = els.language.value;
    if (editor) { editor.setLanguage(language); }
    var code = store.get(codeDraftName(language));
    if (code == null) { code = state.sentCode[state.question.questionId] || (state.question.starterCode || {})[language] || ""; }
    setCode(code);
  }

  els.language.addEventListener("change", function () {
    var previous = els.language.dataset.current;
    if (previous) { store.set(codeDraftName(previous), codeValue()); }
    els.language.dataset.current = els.language.value;
    restoreDrafts();
  });

  /* ---------- view ---------- */
  function render() {
    var s = state.session;
    if (!s) { return; }
    var index = s.currentQuestionIndex || 0, count = s.questionCount || 0;
    els.progressLabel.textContent = index ? "Question " + index + " of " + count : count + " questions planned";
    els.progressBar.setAttribute("aria-valuenow", String(index));
    els.progressBar.setAttribute("aria-valuemax", String(count));
    els.progressFill.style.width = (count ? Math.round(100 * index / count) : 0) + "%";
    var started = s.status === "in_progress" && index > 0;
    var open = Boolean(state.prompt);
    els.introPanel.hidden = started;
    els.questionPanel.hidden = !started || !state.question;
    els.followup.hidden = !(state.prompt && state.prompt.isFollowUp);
    els.followupText.innerHTML = state.prompt && state.prompt.isFollowUp ? (state.prompt.html || "") : "";
    els.form.hidden = !open;
    els.submitBtn.disabled = !open;
    els.submitBtn.setAttribute("aria-disabled", String(state.busy));
    els.nextStep.hidden = open || !started;
    els.codeArea.hidden = !codeOpen();
    els.micBtn.hidden = !dictation || !open;
    els.language.dataset.current = els.language.value;
    els.answerLabel.textContent = state.prompt && state.prompt.isFollowUp ? "Your answer to the follow-up"
      : isCoding() ? "Explain your approach" : "Your answer";
    els.runBtn.disabled = state.busy;
    var last = index >= count;
    els.nextBtn.disabled = !started || last || state.busy;
    els.nextBtn.textContent = open ? "Skip question" : "Next question";
    els.nextBtn.className = "btn" + (!open && !last ? " btn-primary" : "");
    els.finishBtn.disabled = !started || state.busy;
    els.finishBtn.className = "btn" + (!open && last ? " btn-primary" : " btn-danger");
    tick();
  }

  /* The session's clock, and the prompt's: both on the server's time (skewMs), so "time is up" shows at the
     instant the server starts marking answers late (docs/api.md, "Time limits"). */
  function tick() {
    var s = state.session;
    if (!s) { return; }
    var total = (s.estimatedDuration || 0) * 60, left = total;
    if (s.startedAt) { left = total - Math.floor((serverNow() - Date.parse(s.startedAt)) / 1000); }
    els.timer.textContent = clock(Math.max(0, left));
    els.timer.classList.toggle("low", Boolean(s.startedAt) && left < 300);
    var due = state.prompt && state.prompt.dueAt;
    els.qTimer.hidden = !due;
    if (!due) { els.timeUp.textContent = ""; return; }
    var promptLeft = Math.ceil((due - Date.now()) / 1000);
    var up = promptLeft <= 0;
    els.qTimer.textContent = up ? "Time is up" : clock(promptLeft) + " left";
    els.qTimer.classList.toggle("up", up);
    els.qTimer.classList.toggle("low", !up && promptLeft <= 60);
    if (up && timeUpSaid !== state.prompt.id) {
      timeUpSaid = state.prompt.id;
      els.timeUp.textContent = "Time is up for this " + (state.prompt.isFollowUp ? "follow-up" : "question") +
        ". You can still submit: the answer is scored as usual and marked late.";
    } else if (!up) {
      els.timeUp.textContent = "";
    }
  }

  /* ---------- actions ---------- */
  els.startBtn.addEventListener("click", function () { act("next_question"); });
  els.nextBtn.addEventListener("click", function () {
    if (state.prompt && !window.confirm("Skip this question? It will score 0.")) { return; }
    act("next_question", function () { store.drop("outbox"); });
  });
  els.finishBtn.addEventListener("click", function () {
    if (!window.confirm("Finish the interview now and see your report?")) { return; }
    act("complete", function () {
      state.finishing = true;
      say(null, "Finishing the interview and writing your report…", "system");
      setTimeout(goToReport, 20000);
    });
  });

  /* A follow-up taking a fix sends code only when it changed: unchanged, the answer is the words alone. */
  function answerMessage() {
    var text = els.answer.value.trim();
    var data = { questionId: state.prompt.id, responseTime: Math.round((Date.now() - questionShownAt) / 1000) };
    var changed = !state.prompt.isFollowUp || codeValue() !== state.sentCode[state.question.questionId];
    if (codeOpen() && codeValue().trim() && changed) {
      // The explanation goes once, as the approach: sent twice it would read as repeated wording.
      data.codeSubmission = { language: els.language.value, code: codeValue(), approachExplanation: text };
      if (!state.prompt.isFollowUp) { return data; }
    } else if (codeOpen() && !state.prompt.isFollowUp) {
      return "Write some code before submitting.";
    }
    if (!text) { return "Write an answer before submitting."; }
    if (!data.codeSubmission) { data.answerText = text; }
    return data;
  }

  els.form.addEventListener("submit", function (event) {
    event.preventDefault();
    if (!state.prompt || state.busy || store.get("outbox")) { return; }
    var data = answerMessage();
    if (typeof data === "string") { say(null, data, "system"); els.answer.focus(); return; }
    var queued = { requestId: newRequestId(), promptId: state.prompt.id, data: data };
    store.set("outbox", queued);  // first: a reload or a lost socket from here on still sends it, once
    if (data.codeSubmission) { state.sentCode[state.question.questionId] = data.codeSubmission.code; }
    pendingBubble(queued);
    state.busy = true;
    state.lastAction = queued.requestId;
    setTyping(true);
    if (isOpen()) { flushOutbox(); } else { say(null, "Offline: your answer is saved and will be sent when the connection is back.", "system"); }
    render();
  });

  function pendingBubble(queued) {
    var data = queued.data;
    var bubble = say("You", sentText({ answerText: data.answerText, codeSubmission: data.codeSubmission }), "me");
    bubble.classList.add("pending");
    bubble.dataset.request = queued.requestId;
  }

  /* Ctrl/⌘+Enter submits from the answer field and from the editor (caught before CodeMirror's own Mod-Enter). */
  els.form.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      event.stopPropagation();
      els.form.requestSubmit();
    }
  }, true);

  els.runBtn.addEventListener("click", function () {
    els.runBtn.disabled = true;
    els.runResults.replaceChildren(el("p", "small muted", "Running…"));
    fetch(config.runUrl, {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken(), "Accept": "application/json" },
      body: JSON.stringify({ codeSubmission: { language: els.language.value, code: codeValue() } })
    }).then(function (response) { return response.json(); }).then(function (body) {
      if (body.success) { renderResults(els.runResults, body.testResults); }
      else { els.runResults.replaceChildren(el("p", "form-errors", body.error.message)); }
    }).catch(function () {
      els.runResults.replaceChildren(el("p", "form-errors", "Could not run the code. Check your connection."));
    }).then(function () { els.runBtn.disabled = state.busy; });
  });

  /* Typing notices for the session's other tabs, at most one every three seconds. */
  var typingTimer = null, typingSent = 0;
  function typing() {
    if (Date.now() - typingSent > 3000) { typingSent = Date.now(); send("typing", { isTyping: true }); }
    clearTimeout(typingTimer);
    typingTimer = setTimeout(function () { typingSent = 0; send("typing", { isTyping: false }); }, 3000);
  }
  els.answer.addEventListener("input", function () { saveDrafts(); typing(); });
  els.code.addEventListener("input", function () { saveDrafts(); typing(); });

  /* Voice dictation: only where the browser has speech recognition and the user turned it on in settings. */
  var Recognition = window.SpeechRecognition || window.webkitSpeechRecognition;
  var dictation = Boolean(config.voiceInput && Recognition);
  if (dictation) {
    var recognizer = new Recognition(), listening = false;
    recognizer.continuous = true;
    recognizer.interimResults = false;
    recognizer.lang = document.documentElement.lang || "en-US";
    recognizer.addEventListener("result", function (event) {
      for (var i = event.resultIndex; i < event.results.length; i++) {
        if (event.results[i].isFinal) {
          var said = event.results[i][0].transcript.trim();
          els.answer.value += (els.answer.value && !/\s$/.test(els.answer.value) ? " " : "") + said;
          saveDrafts();
        }
      }
    });
    recognizer.addEventListener("end", function () {
      listening = false;
      els.micBtn.setAttribute("aria-pressed", "false");
      els.micBtn.textContent = "Dictate";
      els.micStatus.textContent = "";
    });
    recognizer.addEventListener("error", function (event) { els.micStatus.textContent = "Dictation stopped: " + event.error; });
    els.micBtn.addEventListener("click", function () {
      if (listening) { recognizer.stop(); return; }
      recognizer.start();
      listening = true;
      els.micBtn.setAttribute("aria-pressed", "true");
      els.micBtn.textContent = "Stop dictation";
      els.micStatus.textContent = "Listening…";
    });
  }

  setInterval(tick, 1000);
  connect();
})();
