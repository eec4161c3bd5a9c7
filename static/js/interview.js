/* The live interview room: a thin client of the interview socket (docs/api.md, "Live interview").
   All state comes from the server; on every (re)connect `session_state` rebuilds the view. */
(function () {
  "use strict";

  var config = JSON.parse(document.getElementById("room-config").textContent);
  var $ = function (id) { return document.getElementById(id); };
  var els = {
    conn: $("conn"), chat: $("chat"), typing: $("typing"), timer: $("timer"),
    progressLabel: $("progress-label"), progressBar: $("progress-bar"), progressFill: $("progress-fill"),
    introPanel: $("intro-panel"), startBtn: $("start-btn"), questionPanel: $("question-panel"),
    qMeta: $("q-meta"), qTitle: $("q-title"), qText: $("q-text"), qExamples: $("q-examples"),
    followup: $("followup"), followupText: $("followup-text"), form: $("answer-form"),
    codeArea: $("code-area"), code: $("code"), language: $("code-language"), runBtn: $("run-btn"),
    runResults: $("run-results"), answer: $("answer-text"), answerLabel: $("answer-label"),
    submitBtn: $("submit-btn"), micBtn: $("mic-btn"), micStatus: $("mic-status"),
    evaluation: $("evaluation"), nextBtn: $("next-btn"), finishBtn: $("finish-btn")
  };
  var LABELS = { python: "Python", javascript: "JavaScript", typescript: "TypeScript", java: "Java", go: "Go",
    cpp: "C++", csharp: "C#", rust: "Rust", ruby: "Ruby", kotlin: "Kotlin", swift: "Swift" };

  var state = { session: null, question: null, followUp: null, open: false, busy: false, finishing: false };
  var drafts = {};
  var socket = null, retries = 0, pingTimer = null, closedForGood = false;
  var streamBubble = null, questionShownAt = Date.now(), requestSeq = 0;
  var interviewer = "Interviewer";

  /* ---------- helpers ---------- */
  function escapeHtml(text) {
    return String(text == null ? "" : text).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }
  function inline(text) {
    return text.replace(/`([^`]+)`/g, "<code>$1</code>").replace(/\*\*([^*]+)\*\*/g, "<strong>$1</strong>")
      .replace(/(^|[^*])\*([^*\s][^*]*)\*/g, "$1<em>$2</em>");
  }
  /* A small Markdown subset for question text: fences, lists, paragraphs, inline code and emphasis.
     Everything is escaped first, so only the tags added here can appear. */
  function markdown(source) {
    var blocks = escapeHtml(source).split(/\n```/);
    var html = "";
    blocks.forEach(function (block, i) {
      if (i % 2 === 1) {
        var body = block.replace(/^[^\n]*\n/, "");
        html += "<pre><code>" + body.replace(/\n?```?$/, "") + "</code></pre>";
        return;
      }
      block.replace(/^```[^\n]*\n?/, "").split(/\n{2,}/).forEach(function (para) {
        var list = null, text = [];
        var flush = function () {
          if (text.length) { html += "<p>" + inline(text.join(" ")) + "</p>"; text = []; }
          if (list) { html += "<" + list.tag + ">" + list.items.join("") + "</" + list.tag + ">"; list = null; }
        };
        para.split("\n").forEach(function (line) {
          var item = /^\s*([-*]|\d+\.)\s+(.*)$/.exec(line);
          if (item) {
            var tag = /\d/.test(item[1]) ? "ol" : "ul";
            if (text.length || (list && list.tag !== tag)) { flush(); }
            list = list || { tag: tag, items: [] };
            list.items.push("<li>" + inline(item[2]) + "</li>");
          } else if (line.trim()) {
            if (list) { flush(); }
            text.push(line.trim());
          }
        });
        flush();
      });
    });
    return html;
  }
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
  function label(value) { return LABELS[value] || String(value || "").replace(/_/g, " ").replace(/^./, function (c) { return c.toUpperCase(); }); }
  function band(score) { return score == null ? "none" : score >= 80 ? "high" : score >= 50 ? "mid" : "low"; }
  function json(value) { return JSON.stringify(value); }

  /* ---------- conversation ---------- */
  function say(who, text, kind) {
    var bubble = el("div", "msg " + (kind || "ai"));
    if (who) { bubble.appendChild(el("span", "who", who)); }
    bubble.appendChild(document.createTextNode(text));
    els.chat.appendChild(bubble);
    els.chat.scrollTop = els.chat.scrollHeight;
    return bubble;
  }
  function setTyping(on) {
    els.typing.innerHTML = on ? escapeHtml(interviewer) + " is thinking <span class=\"dots\" aria-hidden=\"true\"><span></span><span></span><span></span></span>" : "";
  }

  /* ---------- socket ---------- */
  function send(type, data) {
    if (!socket || socket.readyState !== WebSocket.OPEN) {
      say(null, "Not connected yet — retrying…", "system");
      return null;
    }
    var requestId = "req-" + Date.now().toString(36) + "-" + (++requestSeq);
    socket.send(JSON.stringify({ type: type, data: data || {}, requestId: requestId }));
    return requestId;
  }
  function setConn(stateName, text) { els.conn.dataset.state = stateName; els.conn.textContent = text; }

  function connect() {
    var scheme = location.protocol === "https:" ? "wss://" : "ws://";
    setConn("connecting", retries ? "Reconnecting…" : "Connecting…");
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
      if (handler) { handler(message.data || {}, message); }
    });
    socket.addEventListener("close", function (event) {
      clearInterval(pingTimer);
      if (event.code === 4401) { location.href = "/accounts/login/?next=" + encodeURIComponent(location.pathname); return; }
      if (event.code === 4404) { closedForGood = true; setConn("closed", "Session not found"); return; }
      if (closedForGood) { return; }
      setConn("closed", "Offline — reconnecting");
      var delay = Math.min(10000, 500 * Math.pow(2, retries++));
      setTimeout(connect, delay);
    });
  }

  var handlers = {
    session_state: function (data) {
      state.session = data.session;
      interviewer = (data.session.aiInterviewer && data.session.aiInterviewer.name) || interviewer;
      if (data.session.status === "completed" || data.session.status === "abandoned") { goToReport(); return; }
      var current = data.currentQuestion;
      if (current && (!state.question || state.question.questionId !== current.questionId)) {
        showQuestion(current, false);
      }
      state.followUp = data.pendingFollowUp || null;
      var slot = current && data.session.questions.filter(function (q) { return q.questionId === current.questionId; })[0];
      state.open = Boolean(state.followUp || (slot && slot.status === "presented"));
      if (data.lastEvaluation && !state.open) { showEvaluation(data.lastEvaluation, false); }
      state.busy = false;
      setTyping(false);
      render();
    },
    question_presented: function (data) {
      var s = state.session || {};
      s.currentQuestionIndex = data.session.currentQuestionIndex;
      s.questionCount = data.session.totalQuestions;
      if (s.status === "pending") { s.status = "in_progress"; s.startedAt = new Date().toISOString(); }
      state.session = s;
      state.followUp = null;
      state.open = true;
      state.busy = false;
      showQuestion(data.question, true);
      render();
    },
    typing_indicator: function (data) {
      if (data.userId === "ai_interviewer") { setTyping(Boolean(data.isTyping)); }
    },
    ai_message_delta: function (data) {
      var piece = data.delta || data.content || data.text || "";
      if (!streamBubble) { streamBubble = say(interviewer, "", "ai"); }
      streamBubble.appendChild(document.createTextNode(piece));
      els.chat.scrollTop = els.chat.scrollHeight;
    },
    answer_evaluated: function (data) {
      state.busy = false;
      setTyping(false);
      showEvaluation(data, true);
      render();
    },
    session_completed: function () { goToReport(); },
    error: function (data) {
      state.busy = false;
      say(null, (data.message || "Something went wrong") + (data.code ? " (" + data.code + ")" : ""), "system");
      if (data.code === "INVALID_STATE" && state.finishing) { goToReport(); }
      render();
    },
    pong: function () {}
  };

  function goToReport() { closedForGood = true; if (socket) { socket.close(); } location.href = config.reportUrl; }

  /* ---------- question ---------- */
  function showQuestion(question, announce) {
    state.question = question;
    questionShownAt = Date.now();
    els.evaluation.innerHTML = "";
    els.runResults.innerHTML = "";
    els.answer.value = "";
    els.qTitle.textContent = question.title;
    els.qMeta.innerHTML = "";
    [label(question.type), label(question.category), label(question.difficulty), "~" + question.estimatedTime + " min"]
      .forEach(function (text, i) { els.qMeta.appendChild(el("span", i === 0 ? "badge" : "", text)); });
    els.qText.innerHTML = markdown(question.text || "");
    els.qExamples.innerHTML = "";
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
    if (question.type === "coding") { setupEditor(question); }
    if (announce) {
      var s = state.session || {};
      say(interviewer, "Question " + s.currentQuestionIndex + " of " + s.questionCount + ": " + question.title, "ai");
    }
  }

  function setupEditor(question) {
    var starter = question.starterCode || {};
    var languages = Object.keys(starter);
    if (languages.indexOf(config.language) === -1 && LABELS[config.language]) { languages.push(config.language); }
    drafts = {};
    els.language.innerHTML = "";
    languages.forEach(function (lang) {
      var option = el("option", "", LABELS[lang] || lang);
      option.value = lang;
      els.language.appendChild(option);
    });
    els.language.value = languages.indexOf(config.language) !== -1 ? config.language : languages[0];
    els.language.dataset.current = els.language.value;
    els.code.value = starter[els.language.value] || "";
  }

  els.language.addEventListener("change", function () {
    var starter = (state.question && state.question.starterCode) || {};
    drafts[els.language.dataset.current] = els.code.value;
    els.language.dataset.current = els.language.value;
    els.code.value = drafts[els.language.value] != null ? drafts[els.language.value] : (starter[els.language.value] || "");
  });

  /* ---------- results ---------- */
  function renderResults(container, results) {
    container.innerHTML = "";
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

  function showEvaluation(data, live) {
    var answer = data.answer || {}, ai = data.aiResponse, next = data.nextAction || {};
    if (ai && ai.content) {
      if (streamBubble) {
        while (streamBubble.childNodes.length > 1) { streamBubble.removeChild(streamBubble.lastChild); }
        streamBubble.appendChild(document.createTextNode(ai.content));
        streamBubble.dataset.response = ai.responseId || "";
      } else if (!ai.responseId || !els.chat.querySelector("[data-response='" + ai.responseId + "']")) {
        say(interviewer, ai.content, "ai").dataset.response = ai.responseId || "";
      }
    }
    streamBubble = null;
    els.evaluation.innerHTML = "";
    var box = el("div", "card");
    box.appendChild(el("h3", "", answer.isFollowUp ? "Follow-up evaluated" : "Answer evaluated"));
    if (answer.scores) {
      var scores = el("div", "scores");
      Object.keys(answer.scores).forEach(function (key) {
        var value = answer.scores[key];
        scores.appendChild(el("span", "badge score-" + band(value), label(key) + " " + Math.round(value)));
      });
      box.appendChild(scores);
    }
    if (answer.testResults !== undefined && state.question && state.question.type === "coding" && !answer.isFollowUp) {
      var results = el("div", "results");
      renderResults(results, answer.testResults);
      box.appendChild(results);
    }
    els.evaluation.appendChild(box);
    if (answer.status === "failed") {
      state.open = true;
    } else if (next.type === "follow_up") {
      state.followUp = next.message || (ai && ai.followUpQuestion);
      state.open = true;
      els.answer.value = "";
      if (live) { say(interviewer, state.followUp, "ai"); }
    } else if (next.type !== "await_evaluation") {
      state.followUp = null;
      state.open = false;
    }
    if (next.type === "complete") { say(null, "That was the last question. Finish the interview to get your report.", "system"); }
  }

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
    els.introPanel.hidden = started;
    els.questionPanel.hidden = !started || !state.question;
    els.followup.hidden = !state.followUp;
    els.followupText.textContent = state.followUp || "";
    els.form.hidden = !state.open;
    var coding = Boolean(state.question && state.question.type === "coding");
    els.codeArea.hidden = !coding || Boolean(state.followUp);
    els.answerLabel.textContent = state.followUp ? "Your answer to the follow-up" : coding ? "Explain your approach" : "Your answer";
    els.submitBtn.disabled = state.busy;
    els.runBtn.disabled = state.busy;
    var last = index >= count;
    els.nextBtn.disabled = !started || last || state.busy;
    els.nextBtn.textContent = state.open ? "Skip question" : "Next question";
    els.nextBtn.className = "btn" + (!state.open && !last ? " btn-primary" : "");
    els.finishBtn.disabled = !started || state.busy;
    els.finishBtn.className = "btn" + (!state.open && last ? " btn-primary" : " btn-danger");
  }

  function tickTimer() {
    var s = state.session;
    var total = ((s && s.estimatedDuration) || 0) * 60;
    var left = total;
    if (s && s.startedAt) { left = total - Math.floor((Date.now() - Date.parse(s.startedAt)) / 1000); }
    if (!s) { return; }
    var clamped = Math.max(0, left);
    els.timer.textContent = Math.floor(clamped / 60) + ":" + String(clamped % 60).padStart(2, "0");
    els.timer.classList.toggle("low", s.startedAt && left < 300);
    if (left <= 0 && s.startedAt) { els.timer.setAttribute("aria-label", "Time is up"); }
  }

  /* ---------- actions ---------- */
  els.startBtn.addEventListener("click", function () { if (send("next_question")) { state.busy = true; render(); } });
  els.nextBtn.addEventListener("click", function () {
    if (state.open && !window.confirm("Skip this question? It will score 0.")) { return; }
    if (send("next_question")) { state.busy = true; render(); }
  });
  els.finishBtn.addEventListener("click", function () {
    if (!window.confirm("Finish the interview now and see your report?")) { return; }
    if (send("complete")) {
      state.busy = true; state.finishing = true;
      say(null, "Finishing the interview and writing your report…", "system");
      setTimeout(goToReport, 20000);
      render();
    }
  });
  els.form.addEventListener("submit", function (event) {
    event.preventDefault();
    if (state.busy) { return; }
    var text = els.answer.value.trim();
    var coding = state.question && state.question.type === "coding" && !state.followUp;
    var data = { responseTime: Math.round((Date.now() - questionShownAt) / 1000) };
    if (coding) {
      if (!els.code.value.trim()) { say(null, "Write some code before submitting.", "system"); return; }
      // The explanation goes once, as the approach: sent twice it would read as repeated wording.
      data.codeSubmission = { language: els.language.value, code: els.code.value, approachExplanation: text };
    } else {
      if (!text) { els.answer.focus(); say(null, "Write an answer before submitting.", "system"); return; }
      data.answerText = text;
    }
    if (send("submit_answer", data)) {
      say("You", coding ? (text || "Submitted my code.") + "\n[" + label(els.language.value) + " code submitted]" : text, "me");
      state.busy = true;
      els.evaluation.innerHTML = "";
      render();
    }
  });
  els.runBtn.addEventListener("click", function () {
    els.runBtn.disabled = true;
    els.runResults.innerHTML = "";
    els.runResults.appendChild(el("p", "small muted", "Running…"));
    fetch(config.runUrl, {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken(), "Accept": "application/json" },
      body: JSON.stringify({ codeSubmission: { language: els.language.value, code: els.code.value } })
    }).then(function (response) { return response.json(); }).then(function (body) {
      if (body.success) { renderResults(els.runResults, body.testResults); }
      else { els.runResults.innerHTML = ""; els.runResults.appendChild(el("p", "form-errors", body.error.message)); }
    }).catch(function () {
      els.runResults.innerHTML = "";
      els.runResults.appendChild(el("p", "form-errors", "Could not run the code. Check your connection."));
    }).then(function () { els.runBtn.disabled = state.busy; });
  });

  /* Code editor keys: Tab indents, Shift+Tab outdents, Enter keeps indentation; Esc releases Tab for navigation. */
  var releaseTab = false;
  els.code.addEventListener("keydown", function (event) {
    var area = els.code, start = area.selectionStart, end = area.selectionEnd, value = area.value;
    if (event.key === "Escape") { releaseTab = true; return; }
    if (event.key === "Tab" && !releaseTab) {
      event.preventDefault();
      var lineStart = value.lastIndexOf("\n", start - 1) + 1;
      if (event.shiftKey) {
        var match = /^ {1,4}/.exec(value.slice(lineStart));
        if (match) {
          area.setRangeText("", lineStart, lineStart + match[0].length, "preserve");
        }
      } else if (start !== end && value.slice(start, end).indexOf("\n") !== -1) {
        var block = value.slice(lineStart, end).replace(/^/gm, "    ");
        area.setRangeText(block, lineStart, end, "select");
      } else {
        area.setRangeText("    ", start, end, "end");
      }
      return;
    }
    releaseTab = false;
    if (event.key === "Enter" && !event.shiftKey && !event.ctrlKey && !event.metaKey) {
      var from = value.lastIndexOf("\n", start - 1) + 1;
      var indent = /^[ \t]*/.exec(value.slice(from))[0];
      if (/[:{[(]\s*$/.test(value.slice(from, start))) { indent += "    "; }
      event.preventDefault();
      area.setRangeText("\n" + indent, start, end, "end");
    }
  });

  /* Typing notices for the session's other tabs, at most one every three seconds. */
  var typingTimer = null, typingSent = 0;
  function typing() {
    if (Date.now() - typingSent > 3000) { typingSent = Date.now(); send("typing", { isTyping: true }); }
    clearTimeout(typingTimer);
    typingTimer = setTimeout(function () { typingSent = 0; send("typing", { isTyping: false }); }, 3000);
  }
  els.answer.addEventListener("input", typing);
  els.code.addEventListener("input", typing);

  /* Voice dictation: only where the browser has speech recognition and the user turned it on. */
  var Recognition = window.SpeechRecognition || window.webkitSpeechRecognition;
  if (config.voiceInput && Recognition) {
    var recognizer = new Recognition(), listening = false;
    recognizer.continuous = true;
    recognizer.interimResults = false;
    recognizer.lang = document.documentElement.lang || "en-US";
    recognizer.addEventListener("result", function (event) {
      for (var i = event.resultIndex; i < event.results.length; i++) {
        if (event.results[i].isFinal) {
          var said = event.results[i][0].transcript.trim();
          els.answer.value += (els.answer.value && !/\s$/.test(els.answer.value) ? " " : "") + said;
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
    els.micBtn.hidden = false;
    els.micBtn.addEventListener("click", function () {
      if (listening) { recognizer.stop(); return; }
      recognizer.start();
      listening = true;
      els.micBtn.setAttribute("aria-pressed", "true");
      els.micBtn.textContent = "Stop dictation";
      els.micStatus.textContent = "Listening…";
    });
  }

  setInterval(tickTimer, 1000);
  connect();
})();
