// Signature pad for the on-site signing page (no inline script: the CSP forbids it).
// Draws with pointer events (finger, stylus, mouse); on submit the drawing is put
// into the hidden "image" input as a PNG data URL.
(function () {
  "use strict";
  var canvas = document.getElementById("signature-canvas");
  var form = document.getElementById("sign-form");
  var input = document.getElementById("id_image");
  if (!canvas || !form || !input) { return; }
  var ctx = canvas.getContext("2d");
  var drawing = false;
  var drawn = false;

  function reset() {
    ctx.fillStyle = "#fff";
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    ctx.lineWidth = 3;
    ctx.lineCap = "round";
    ctx.lineJoin = "round";
    ctx.strokeStyle = "#000";
    drawn = false;
  }

  function point(event) {
    var rect = canvas.getBoundingClientRect();
    return {
      x: (event.clientX - rect.left) * (canvas.width / rect.width),
      y: (event.clientY - rect.top) * (canvas.height / rect.height)
    };
  }

  canvas.addEventListener("pointerdown", function (event) {
    event.preventDefault();
    canvas.setPointerCapture(event.pointerId);
    drawing = true;
    var p = point(event);
    ctx.beginPath();
    ctx.moveTo(p.x, p.y);
  });
  canvas.addEventListener("pointermove", function (event) {
    if (!drawing) { return; }
    event.preventDefault();
    var p = point(event);
    ctx.lineTo(p.x, p.y);
    ctx.stroke();
    drawn = true;
  });
  function stop(event) {
    if (!drawing) { return; }
    drawing = false;
    if (canvas.hasPointerCapture(event.pointerId)) {
      canvas.releasePointerCapture(event.pointerId);
    }
  }
  canvas.addEventListener("pointerup", stop);
  canvas.addEventListener("pointercancel", stop);

  var clear = document.getElementById("signature-clear");
  if (clear) { clear.addEventListener("click", reset); }

  form.addEventListener("submit", function () {
    // An empty pad sends nothing: the server answers with a Chinese error.
    input.value = drawn ? canvas.toDataURL("image/png") : "";
  });
  reset();
}());
