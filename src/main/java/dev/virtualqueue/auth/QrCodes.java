package dev.virtualqueue.auth;

import com.google.zxing.BarcodeFormat;
import com.google.zxing.EncodeHintType;
import com.google.zxing.WriterException;
import com.google.zxing.common.BitMatrix;
import com.google.zxing.qrcode.QRCodeWriter;
import com.google.zxing.qrcode.decoder.ErrorCorrectionLevel;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * QR codes as PNG data URIs ({@code data:image/png;base64,...}), encoded by ZXing: black modules on
 * white with the four-module quiet zone, each module {@value #MODULE_PIXELS} pixels, so a phone reads
 * it off a screen. CPU and memory only (no file cache); a few milliseconds, so callers run it on a
 * worker.
 */
final class QrCodes {
  static final int MODULE_PIXELS = 6;
  private static final int BLACK = 0xFF000000;
  private static final int WHITE = 0xFFFFFFFF;

  private QrCodes() {
  }

  /** The PNG data URI of a QR code holding {@code text}. */
  static String pngDataUri(String text) {
    BitMatrix modules;
    try {
      modules = new QRCodeWriter().encode(text, BarcodeFormat.QR_CODE, 0, 0,
          Map.of(EncodeHintType.ERROR_CORRECTION, ErrorCorrectionLevel.M, EncodeHintType.MARGIN, 4));
    } catch (WriterException e) {
      throw new IllegalArgumentException("text does not fit a QR code", e);
    }
    int side = modules.getWidth() * MODULE_PIXELS;
    BufferedImage image = new BufferedImage(side, side, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < side; y++) {
      for (int x = 0; x < side; x++) {
        image.setRGB(x, y, modules.get(x / MODULE_PIXELS, y / MODULE_PIXELS) ? BLACK : WHITE);
      }
    }
    ByteArrayOutputStream png = new ByteArrayOutputStream();
    try {
      ImageIO.setUseCache(false);
      ImageIO.write(image, "png", png);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return "data:image/png;base64," + Base64.getEncoder().encodeToString(png.toByteArray());
  }
}
